using System.Net;
using System.Text.Json;
using DockerNetPlugin.Integration.Tests.SingleHost;

namespace DockerNetPlugin.Integration.Tests.Reliability.HostileStore;

/// <summary>
/// The test's own reading of which endpoint records are valid (independent of the plugin's validator), and the
/// overlay entries of a host that no such record accounts for: a neighbour (IP → MAC) or FDB entry (MAC → VTEP) on
/// <c>vxlan0</c> that matches no valid record in the store is an invalid entry in the kernel.
/// </summary>
internal static class KernelCheck
{
    /// <summary>(IP, MAC, locator) of every endpoint record of <paramref name="network"/> that a careful reader would accept.</summary>
    public static IReadOnlySet<(string Ip, string Mac, string Locator)> ValidEndpoints(IReadOnlyDictionary<string, byte[]> store, string network, IPNetwork subnet)
    {
        var locators = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in store)
        {
            if (HostRecordOf(key) is { } hostId && Parse(value) is { } host && Text(host, "hostId") == hostId && Text(host, "locator") is { } locator)
                locators[hostId] = locator;
        }
        var valid = new HashSet<(string, string, string)>();
        foreach (var (key, value) in store.Where(kv => StoreKeys.IsEndpoint(kv.Key, network)))
        {
            if (Parse(value) is not { } record)
                continue;
            var parts = key.Split('/');
            var endpointId = parts[^1];
            var hostId = Text(record, "hostId");
            if (parts[2] == "by-host" && parts[3] != hostId)
                continue; // under another host's segment
            var ipv4 = Text(record, "iPv4");
            var mac = Text(record, "mac")?.ToLowerInvariant();
            var locator = Text(record, "locator");
            if (Text(record, "networkId") != network || Text(record, "endpointId") != endpointId || hostId is null
                || !locators.TryGetValue(hostId, out var registered) || registered != locator
                || ipv4 is null || !IPAddress.TryParse(ipv4.Split('/')[0], out var address) || !subnet.Contains(address)
                || mac is null || !UnicastMac(mac))
                continue;
            valid.Add((address.ToString(), mac, locator!));
        }
        return valid;
    }

    /// <summary>The host id a host record's key names, in either key layout (<c>hosts/&lt;id&gt;</c>, <c>by-host/&lt;id&gt;/host</c>), or null.</summary>
    public static string? HostRecordOf(string key)
    {
        var parts = key.Split('/');
        return parts.Length == 4 && parts[2] == "hosts" ? parts[3]
            : parts.Length == 5 && parts[2] == "by-host" && parts[4] == "host" ? parts[3]
            : null;
    }

    /// <summary>The lines of <c>ip neigh</c> and <c>bridge fdb</c> on vxlan0 of <paramref name="host"/>'s overlay that no valid record accounts for.</summary>
    public static async Task<List<string>> InvalidEntriesAsync(HostScenario host, string network, IReadOnlySet<(string Ip, string Mac, string Locator)> valid)
    {
        var invalid = new List<string>();
        var neigh = (await host.InOverlayAsync(network, "ip", "neigh", "show", "dev", "vxlan0")).EnsureSuccess().StdOut;
        foreach (var line in OverlayTables.Neighbours(neigh))
        {
            var parts = line.Split(' ');
            var mac = parts.SkipWhile(p => p != "lladdr").Skip(1).FirstOrDefault();
            if (mac is null || !valid.Any(v => v.Ip == parts[0] && v.Mac == mac))
                invalid.Add($"{host.Host.Name} neighbour: {line}");
        }
        var fdb = (await host.InOverlayAsync(network, "bridge", "fdb", "show", "dev", "vxlan0")).EnsureSuccess().StdOut;
        foreach (var line in OverlayTables.RemoteFdb(fdb))
        {
            var parts = line.Split(' ');
            var dst = parts.SkipWhile(p => p != "dst").Skip(1).FirstOrDefault();
            var accounted = parts[0] == "00:00:00:00:00:00"
                ? valid.Any(v => v.Locator == dst) // flood towards a host that has endpoints here
                : valid.Any(v => v.Mac == parts[0] && v.Locator == dst);
            if (!accounted)
                invalid.Add($"{host.Host.Name} fdb: {line}");
        }
        return invalid;
    }

    private static bool UnicastMac(string mac)
    {
        var octets = mac.Split(':');
        if (octets.Length != 6 || octets.Any(o => o.Length != 2 || !o.All(Uri.IsHexDigit)))
            return false;
        return (Convert.ToByte(octets[0], 16) & 1) == 0 && mac != "00:00:00:00:00:00";
    }

    private static JsonElement? Parse(byte[] value)
    {
        try
        {
            using var doc = JsonDocument.Parse(value);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement? record, string name)
    {
        try
        {
            return record is { } r && r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        }
        catch (InvalidOperationException) // not valid UTF-8
        {
            return null;
        }
    }
}
