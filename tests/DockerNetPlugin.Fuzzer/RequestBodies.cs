using System.Text;
using System.Text.Json.Nodes;

namespace DockerNetPlugin.Fuzzer;

/// <summary>Request bodies shaped exactly as Docker sends them (remote-api.md §2–§4), from given values.</summary>
internal static class RequestBodies
{
    public static byte[] Bytes(JsonNode? node) => node is null ? [] : Encoding.UTF8.GetBytes(node.ToJsonString() + "\n");

    public static JsonObject CreateNetwork(string networkId, JsonObject options, JsonArray ipv4Data, JsonArray ipv6Data) => new()
    {
        ["NetworkID"] = networkId,
        ["Options"] = options,
        ["IPv4Data"] = ipv4Data,
        ["IPv6Data"] = ipv6Data,
    };

    /// <summary>Docker's standard CreateNetwork options around the <c>-o</c> driver options.</summary>
    public static JsonObject NetworkOptions(JsonObject generic, JsonNode? isInternal, bool enableIpv6) =>
        isInternal is null
            ? new JsonObject { ["com.docker.network.enable_ipv4"] = true, ["com.docker.network.enable_ipv6"] = enableIpv6, ["com.docker.network.generic"] = generic }
            : new JsonObject { ["com.docker.network.enable_ipv4"] = true, ["com.docker.network.enable_ipv6"] = enableIpv6, ["com.docker.network.generic"] = generic, ["com.docker.network.internal"] = isInternal };

    public static JsonObject IpamData(string addressSpace, string? pool, string? gateway)
    {
        var data = new JsonObject { ["AddressSpace"] = addressSpace, ["AuxAddresses"] = null };
        if (pool is not null)
            data["Pool"] = pool;
        if (gateway is not null)
            data["Gateway"] = gateway;
        return data;
    }

    public static JsonObject NetworkOnly(string networkId) => new() { ["NetworkID"] = networkId };

    public static JsonObject AllocateNetwork(string networkId, JsonObject flatOptions) => new()
    {
        ["NetworkID"] = networkId,
        ["Options"] = flatOptions,
        ["IPv4Data"] = new JsonArray(),
        ["IPv6Data"] = null,
    };

    public static JsonObject GwAllocCheck(JsonObject options) => new() { ["Options"] = options };

    public static JsonObject CreateEndpoint(string networkId, string endpointId, string address, string addressV6, string mac) => new()
    {
        ["NetworkID"] = networkId,
        ["EndpointID"] = endpointId,
        ["Interface"] = new JsonObject { ["Address"] = address, ["AddressIPv6"] = addressV6, ["MacAddress"] = mac },
        ["Options"] = new JsonObject
        {
            ["com.docker.network.endpoint.exposedports"] = new JsonArray(new JsonObject { ["Proto"] = 6, ["Port"] = 80 }),
            ["com.docker.network.portmap"] = PortMap(),
            ["com.docker.network.endpoint.dnsservers"] = new JsonArray("192.168.77.1"),
        },
    };

    public static JsonObject Endpoint(string networkId, string endpointId) => new() { ["NetworkID"] = networkId, ["EndpointID"] = endpointId };

    public static JsonObject Join(string networkId, string endpointId, string sandboxKey) => new()
    {
        ["NetworkID"] = networkId,
        ["EndpointID"] = endpointId,
        ["SandboxKey"] = sandboxKey,
        ["Options"] = new JsonObject { ["com.docker.network.portmap"] = PortMap(), ["com.docker.network.endpoint.exposedports"] = new JsonArray() },
    };

    public static JsonObject ExternalConnectivity(string networkId, string endpointId) => new()
    {
        ["NetworkID"] = networkId,
        ["EndpointID"] = endpointId,
        ["Options"] = new JsonObject { ["com.docker.network.portmap"] = PortMap(), ["com.docker.network.driver.private.no_proxy_6to4"] = false },
    };

    public static JsonObject Discovery(int type, string address) => new()
    {
        ["DiscoveryType"] = type,
        ["DiscoveryData"] = new JsonObject { ["Address"] = address, ["BindAddress"] = "0.0.0.0", ["Self"] = false },
    };

    public static JsonObject RequestPool(string addressSpace, string pool, string subPool, JsonObject options, bool v6) => new()
    {
        ["AddressSpace"] = addressSpace,
        ["Pool"] = pool,
        ["SubPool"] = subPool,
        ["Options"] = options,
        ["V6"] = v6,
    };

    public static JsonObject ReleasePool(string poolId) => new() { ["PoolID"] = poolId };

    public static JsonObject RequestAddress(string poolId, string address, JsonObject options) => new()
    {
        ["PoolID"] = poolId,
        ["Address"] = address,
        ["Options"] = options,
    };

    public static JsonObject ReleaseAddress(string poolId, string address) => new() { ["PoolID"] = poolId, ["Address"] = address };

    private static JsonArray PortMap() => new(new JsonObject
    {
        ["Proto"] = 6, ["IP"] = string.Empty, ["Port"] = 80, ["HostIP"] = string.Empty, ["HostPort"] = 8080, ["HostPortEnd"] = 8080,
    });
}
