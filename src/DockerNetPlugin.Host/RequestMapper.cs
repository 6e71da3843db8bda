using System.Net;
using System.Net.NetworkInformation;
using System.Text.Json;
using DockerNetPlugin.Driver.Model;
using DockerNetPlugin.Protocol;

namespace DockerNetPlugin.Host;

/// <summary>Turns wire requests into the driver's domain requests, refusing missing or wrong-typed fields by name.</summary>
internal static class RequestMapper
{
    private const string GenericOption = "com.docker.network.generic";
    private const string InternalOption = "com.docker.network.internal";
    private const string IPv6Option = "com.docker.network.enable_ipv6";
    private const string IPv4Option = "com.docker.network.enable_ipv4";

    public static NetworkCreation ToNetworkCreation(CreateNetworkRequest? request)
    {
        var r = Require(request, "CreateNetwork");
        var networkId = RequireId(r.NetworkId, "CreateNetwork", "NetworkID");
        var options = r.Options ?? new Dictionary<string, JsonElement>();
        // Docker 28+ sends enable_ipv4 (false for `--ipv4=false`, IPv6-only). A dnp network needs IPv4: the hosts that
        // replicate it create it through their Engine API with IPv4, and docker_gwbridge (its way out) is IPv4 only.
        if (!ReadBool(options, IPv4Option, defaultValue: true))
            throw new BadRequestException("CreateNetwork: IPv6-only networks (--ipv4=false) are not supported by dnp: "
                + "a dnp network needs an IPv4 subnet on every host; create it with an IPv4 --subnet, and add --ipv6 --subnet for IPv6 too");
        var subnets = new List<SubnetSpec>();
        foreach (var data in r.IPv4Data ?? [])
            subnets.Add(ToSubnet(data ?? throw NullEntry("IPv4Data"), "IPv4Data", System.Net.Sockets.AddressFamily.InterNetwork));
        foreach (var data in r.IPv6Data ?? [])
            subnets.Add(ToSubnet(data ?? throw NullEntry("IPv6Data"), "IPv6Data", System.Net.Sockets.AddressFamily.InterNetworkV6));
        return new NetworkCreation(networkId, GenericOptions(options), ReadBool(options, InternalOption), ReadBool(options, IPv6Option), subnets);
    }

    public static EndpointCreation ToEndpointCreation(CreateEndpointRequest? request)
    {
        var r = Require(request, "CreateEndpoint");
        var networkId = RequireId(r.NetworkId, "CreateEndpoint", "NetworkID");
        var endpointId = RequireId(r.EndpointId, "CreateEndpoint", "EndpointID");
        var iface = r.Interface;
        InterfaceAddress? v4 = null, v6 = null;
        if (!string.IsNullOrEmpty(iface?.Address))
            v4 = ParseAddress(iface.Address, "Interface.Address", System.Net.Sockets.AddressFamily.InterNetwork);
        if (!string.IsNullOrEmpty(iface?.AddressIPv6))
            v6 = ParseAddress(iface.AddressIPv6, "Interface.AddressIPv6", System.Net.Sockets.AddressFamily.InterNetworkV6);
        PhysicalAddress? mac = null;
        if (!string.IsNullOrEmpty(iface?.MacAddress))
        {
            try
            {
                mac = PhysicalAddress.Parse(iface.MacAddress);
            }
            catch (FormatException)
            {
                throw new BadRequestException($"CreateEndpoint: Interface.MacAddress '{iface.MacAddress}' is not a MAC address (aa:bb:cc:dd:ee:ff)");
            }
            if (mac.GetAddressBytes().Length != 6)
                throw new BadRequestException($"CreateEndpoint: Interface.MacAddress '{iface.MacAddress}' must have 6 bytes");
        }
        return new EndpointCreation(networkId, endpointId, v4, v6, mac);
    }

    /// <summary>Network and endpoint IDs of a call; null when the body was empty (a retried teardown: succeed).</summary>
    public static (string NetworkId, string EndpointId)? EndpointIds(string? networkId, string? endpointId, string method)
    {
        if (networkId is null && endpointId is null)
            return null;
        return (RequireId(networkId, method, "NetworkID"), RequireId(endpointId, method, "EndpointID"));
    }

    public static T Require<T>(T? request, string method) where T : class =>
        request ?? throw new BadRequestException($"{method}: the request body is empty; Docker sends a JSON object here");

    public static string RequireId(string? id, string method, string field)
    {
        if (string.IsNullOrWhiteSpace(id))
            throw new BadRequestException($"{method}: {field} is missing or empty");
        if (id.Length > 128 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new BadRequestException($"{method}: {field} '{Truncate(id)}' is not a Docker ID (letters and digits, at most 128)");
        return id;
    }

    private static BadRequestException NullEntry(string field) =>
        new($"CreateNetwork: {field} has a null entry; each entry is an object with Pool and Gateway");

    private static SubnetSpec ToSubnet(IpamData data, string field, System.Net.Sockets.AddressFamily family)
    {
        if (string.IsNullOrEmpty(data.Pool))
            throw new BadRequestException($"CreateNetwork: {field}.Pool is missing");
        if (!IPNetwork.TryParse(data.Pool, out var pool) || pool.BaseAddress.AddressFamily != family
            || !IPAddress.TryParse(data.Pool.Split('/')[0], out var written) || !written.Equals(pool.BaseAddress))
            throw new BadRequestException($"CreateNetwork: {field}.Pool '{data.Pool}' is not a valid {(family == System.Net.Sockets.AddressFamily.InterNetwork ? "IPv4" : "IPv6")} subnet in CIDR form with no host bits set");
        if (pool.PrefixLength == 0)
            throw new BadRequestException($"CreateNetwork: {field}.Pool '{data.Pool}' is not a usable subnet (the null IPAM gives none): use --ipam-driver dnp or give --subnet");
        InterfaceAddress? gateway = null;
        if (!string.IsNullOrEmpty(data.Gateway))
        {
            gateway = ParseAddress(data.Gateway, $"{field}.Gateway", family);
            if (!pool.Contains(gateway.Address))
                throw new BadRequestException($"CreateNetwork: {field}.Gateway {data.Gateway} is outside the subnet {data.Pool}");
        }
        return new SubnetSpec(pool, gateway);
    }

    private static InterfaceAddress ParseAddress(string text, string field, System.Net.Sockets.AddressFamily family)
    {
        if (!InterfaceAddress.TryParse(text, out var address) || address.Address.AddressFamily != family)
            throw new BadRequestException($"{field} '{Truncate(text)}' is not an {(family == System.Net.Sockets.AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address in CIDR form");
        return address;
    }

    private static Dictionary<string, string> GenericOptions(IReadOnlyDictionary<string, JsonElement> options)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!options.TryGetValue(GenericOption, out var generic) || generic.ValueKind == JsonValueKind.Null)
            return result;
        if (generic.ValueKind != JsonValueKind.Object)
            throw new BadRequestException($"CreateNetwork: Options.{GenericOption} must be an object of driver options, not {generic.ValueKind}");
        foreach (var property in generic.EnumerateObject())
        {
            var name = Text(() => property.Name, $"Options.{GenericOption}");
            result[name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => Text(() => property.Value.GetString()!, $"driver option '{name}'"),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                _ => throw new BadRequestException($"CreateNetwork: driver option '{name}' must be a string, not {property.Value.ValueKind}"),
            };
        }
        return result;
    }

    /// <summary>
    /// Reads a string out of an options element. Options stay raw JSON until read, so an unpaired surrogate escape
    /// ("\ud800") only fails here, as an <see cref="InvalidOperationException"/>: refuse it by name instead.
    /// </summary>
    private static string Text(Func<string> read, string what)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException)
        {
            throw new BadRequestException($"CreateNetwork: {what} is not valid Unicode text (an unpaired surrogate escape)");
        }
    }

    private static bool ReadBool(IReadOnlyDictionary<string, JsonElement> options, string key, bool defaultValue = false)
    {
        if (!options.TryGetValue(key, out var value))
            return defaultValue;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => defaultValue,
            JsonValueKind.String when bool.TryParse(Text(() => value.GetString()!, $"Options.{key}"), out var b) => b,
            _ => throw new BadRequestException($"CreateNetwork: Options.{key} must be a boolean, not {value.ValueKind}"),
        };
    }

    private static string Truncate(string text) => text.Length > 64 ? text[..64] + "…" : text;
}
