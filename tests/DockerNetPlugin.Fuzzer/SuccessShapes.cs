using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Text.Json;
using J = DockerNetPlugin.Protocol.PluginJsonContext;

namespace DockerNetPlugin.Fuzzer;

/// <summary>What a correct success reply of each method looks like (remote-api.md §2, §4); null means correct.</summary>
internal static class SuccessShapes
{
    public static string? Check(string method, byte[] requestBody, JsonElement root) => method switch
    {
        PluginApi.Activate => Activate(root),
        PluginApi.NetCapabilities => NetCapabilities(root),
        PluginApi.GwAllocCheck => Bools(root, "SkipIPv4", "SkipIPv6"),
        PluginApi.AllocateNetwork => ObjectField(root, "Options", required: true),
        PluginApi.CreateEndpoint => CreateEndpoint(requestBody, root),
        PluginApi.Join => Join(root),
        PluginApi.EndpointOperInfo => ObjectField(root, "Value", required: true),
        PluginApi.IpamCapabilities => Bools(root, "RequiresMACAddress", "RequiresRequestReplay"),
        PluginApi.AddressSpaces => NonEmptyStrings(root, "LocalDefaultAddressSpace", "GlobalDefaultAddressSpace"),
        PluginApi.RequestPool => RequestPool(requestBody, root),
        PluginApi.RequestAddress => RequestAddress(requestBody, root),
        _ => null, // acknowledgements: any object without an error is what Docker needs
    };

    private static string? Activate(JsonElement root)
    {
        if (!ReplyJson.TryGet(root, "Implements", out var list) || list.ValueKind != JsonValueKind.Array)
            return "Implements is missing";
        var names = list.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : null).ToList();
        return names.Contains("NetworkDriver") && names.Contains("IpamDriver") ? null : "Implements lacks NetworkDriver or IpamDriver";
    }

    private static string? NetCapabilities(JsonElement root)
    {
        var scope = ReplyJson.String(root, "Scope");
        if (scope is not ("local" or "global"))
            return $"Scope '{scope}' is neither local nor global";
        var connectivity = ReplyJson.String(root, "ConnectivityScope");
        return connectivity is null or "" or "local" or "global" ? null : $"ConnectivityScope '{connectivity}' is invalid";
    }

    private static string? CreateEndpoint(byte[] requestBody, JsonElement root)
    {
        if (!ReplyJson.TryGet(root, "Interface", out var iface) || iface.ValueKind == JsonValueKind.Null)
            return null;
        if (iface.ValueKind != JsonValueKind.Object)
            return "Interface is not an object";
        var sent = ReplyJson.Decode(requestBody, J.Default.CreateEndpointRequest)?.Interface;
        foreach (var (name, given) in new[] { ("Address", sent?.Address), ("AddressIPv6", sent?.AddressIPv6), ("MacAddress", sent?.MacAddress) })
        {
            var value = ReplyJson.String(iface, name);
            if (string.IsNullOrEmpty(value))
                continue;
            if (!string.IsNullOrEmpty(given))
                return $"Interface.{name} echoes a field Docker already set (Docker refuses that and fails the container)";
            if (name == "MacAddress" && !IsMac(value))
                return $"Interface.MacAddress '{value}' is not a MAC address";
            if (name != "MacAddress" && !IPNetwork.TryParse(value, out _) && !IsInterfaceAddress(value))
                return $"Interface.{name} '{value}' is not CIDR";
        }
        return null;
    }

    private static string? Join(JsonElement root)
    {
        if (!ReplyJson.TryGet(root, "InterfaceName", out var iface) || iface.ValueKind != JsonValueKind.Object)
            return "InterfaceName is missing (Docker would add no interface)";
        var src = ReplyJson.String(iface, "SrcName");
        if (string.IsNullOrEmpty(src) || src.Length > 15)
            return $"InterfaceName.SrcName '{src}' is not a device name";
        if (string.IsNullOrEmpty(ReplyJson.String(iface, "DstPrefix")))
            return "InterfaceName.DstPrefix is empty";
        foreach (var gateway in new[] { "Gateway", "GatewayIPv6" })
        {
            if (ReplyJson.String(root, gateway) is { Length: > 0 } g && !IPAddress.TryParse(g, out _))
                return $"{gateway} '{g}' is not a plain IP address";
        }
        return null;
    }

    private static string? RequestPool(byte[] requestBody, JsonElement root)
    {
        var poolId = ReplyJson.String(root, "PoolID");
        var pool = ReplyJson.String(root, "Pool");
        if (string.IsNullOrEmpty(poolId))
            return "PoolID is empty";
        if (pool is null || !IPNetwork.TryParse(pool, out var network))
            return $"Pool '{pool}' is not CIDR";
        if (ObjectField(root, "Data", required: false) is { } data)
            return data;
        var sent = ReplyJson.Decode(requestBody, J.Default.RequestPoolRequest);
        if (sent is null)
            return null;
        if ((network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) != sent.V6)
            return $"Pool {pool} is not of the family asked for (V6={sent.V6})";
        if (!string.IsNullOrEmpty(sent.Pool) && IPNetwork.TryParse(sent.Pool, out var asked) && asked.PrefixLength > 0 && !asked.Equals(network))
            return $"asked for pool {sent.Pool}, got {pool}";
        return null;
    }

    private static string? RequestAddress(byte[] requestBody, JsonElement root)
    {
        var address = ReplyJson.String(root, "Address");
        if (address is null || !IsInterfaceAddress(address))
            return $"Address '{address}' is not an address in CIDR form";
        var ip = IPAddress.Parse(address[..address.IndexOf('/', StringComparison.Ordinal)]);
        var prefix = int.Parse(address[(address.IndexOf('/', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);
        var sent = ReplyJson.Decode(requestBody, J.Default.RequestAddressRequest);
        var poolText = sent?.PoolId is { } id && id.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 ? id[(slash + 1)..] : null;
        if (poolText is not null && IPNetwork.TryParse(poolText, out var pool))
        {
            if (!pool.Contains(ip))
                return $"Address {address} is outside pool {poolText}";
            if (prefix != pool.PrefixLength)
                return $"Address {address} does not carry the pool's prefix /{pool.PrefixLength}";
        }
        if (!string.IsNullOrEmpty(sent?.Address) && IPAddress.TryParse(sent.Address, out var asked) && !asked.Equals(ip))
            return $"asked for address {sent.Address}, got {address}";
        return null;
    }

    private static string? Bools(JsonElement root, params string[] names)
    {
        foreach (var name in names)
        {
            if (ReplyJson.TryGet(root, name, out var v) && v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                return $"{name} is a JSON {v.ValueKind}, not a boolean";
        }
        return null;
    }

    private static string? NonEmptyStrings(JsonElement root, params string[] names) =>
        names.Where(n => string.IsNullOrEmpty(ReplyJson.String(root, n))).Select(n => $"{n} is missing or empty").FirstOrDefault();

    private static string? ObjectField(JsonElement root, string name, bool required)
    {
        if (!ReplyJson.TryGet(root, name, out var v) || v.ValueKind == JsonValueKind.Null)
            return required ? $"{name} is missing" : null;
        return v.ValueKind == JsonValueKind.Object ? null : $"{name} is a JSON {v.ValueKind}, not an object";
    }

    private static bool IsInterfaceAddress(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && IPAddress.TryParse(text.AsSpan(0, slash), out var ip)
            && int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            && prefix <= (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32);
    }

    private static bool IsMac(string text)
    {
        try
        {
            return PhysicalAddress.Parse(text).GetAddressBytes().Length == 6;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
