using System.Globalization;
using System.Text.Json.Serialization;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Benchmarks.Scale;

/// <summary>
/// The remote endpoints the scale benchmark pretends other hosts published: endpoint <c>i</c> has IPv4 10.40.(1 + i / 250).(1 + i % 250)/16,
/// the driver's MAC convention (02:42 + the IPv4 bytes), one of 100 fake hosts, and that host's locator: an unused address
/// (.100–.199) of the bed's underlay, so no traffic ever leaves for it.
/// </summary>
internal static class InjectedEndpoints
{
    public const string Subnet = "10.40.0.0/16";
    public const int FakeHosts = 100;

    /// <summary>
    /// The key a host of this release keeps its record under: its own segment of the by-host layout
    /// (<c>ClusterKeys.ByHost(ClusterKeys.Endpoint(...))</c>, which are internal to the driver).
    /// </summary>
    public static string Key(EndpointRecord record) => KeyLayout.Key("by-host", record.HostId, "endpoints", record.NetworkId, record.EndpointId);

    /// <summary>The key of a fake host's registration (<c>ClusterKeys.Host</c>), which endpoint records are validated against.</summary>
    public static string HostKey(string hostId) => KeyLayout.Key("hosts", hostId);

    /// <summary>
    /// The registrations of the fake hosts that own records [<paramref name="from"/>, <paramref name="from"/> + <paramref name="count"/>):
    /// a host's endpoint records are used only while its registered locator is theirs (the record validator).
    /// </summary>
    public static IEnumerable<HostRecord> Hosts(int from, int count, string underlayPrefix) =>
        Enumerable.Range(from, Math.Min(count, FakeHosts))
            .Select(i => Record("-", i, underlayPrefix))
            .Select(r => new HostRecord(r.HostId, r.Locator, DateTimeOffset.UtcNow, "bench"))
            .DistinctBy(h => h.HostId);

    public static EndpointRecord Record(string network, int i, string underlayPrefix)
    {
        byte[] ip = [10, 40, checked((byte)(1 + (i / 250))), (byte)(1 + (i % 250))];
        var host = i % FakeHosts;
        return new EndpointRecord(
            network,
            string.Create(CultureInfo.InvariantCulture, $"bench{i:x8}"),
            string.Create(CultureInfo.InvariantCulture, $"bench-host-{host:D3}"),
            string.Join('.', ip) + "/16",
            null,
            "02:42:" + string.Join(':', ip.Select(b => b.ToString("x2", CultureInfo.InvariantCulture))),
            underlayPrefix + (100 + host).ToString(CultureInfo.InvariantCulture));
    }
}

/// <summary>Endpoint and host records as the driver serialises them (its own context is internal): camelCase, nulls left out.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EndpointRecord))]
[JsonSerializable(typeof(HostRecord))]
internal sealed partial class InjectedJsonContext : JsonSerializerContext;
