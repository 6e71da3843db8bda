using System.Globalization;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.Names;

/// <summary>
/// Three simulated hosts set up as the README says for names across hosts: every daemon.json has
/// <c>"dns": ["169.254.53.53"]</c>, the plugin replicates networks over a real etcd with a short lease, and the hosts'
/// resolv.conf names a real DNS server (dnsmasq) in the "internet" namespace that answers <see cref="ExternalName"/>.
/// Periodic reconciliation is off so that <c>dnp doctor</c> is the only repairer of drift a test makes.
/// </summary>
public class NamesBedFixture : IAsyncLifetime
{
    /// <summary>The resolver's address, the product's default.</summary>
    public const string Resolver = "169.254.53.53";

    /// <summary>A name only the internet's DNS server knows, and its address.</summary>
    public const string ExternalName = "www.dnp.test";
    public const string ExternalAddress = "203.0.113.80";

    public static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(5);

    public Testbed.Testbed Bed { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Bed = await Testbed.Testbed.StartAsync(new TestbedOptions
        {
            HostCount = 3,
            StartEtcd = true,
            StartPlugin = true,
            StartInternet = true,
            InternetDnsNames = new Dictionary<string, string> { [ExternalName] = ExternalAddress },
            DaemonJson = $"{{\"dns\": [\"{Resolver}\"]}}\n",
            PluginEnvironment = new Dictionary<string, string>
            {
                ["DNP_REPLICATE"] = "true",
                ["DNP_LEASE_TTL"] = ((int)LeaseTtl.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                ["DNP_RECONCILE_INTERVAL"] = "0",
            },
        });

    public async Task DisposeAsync() => await Bed.DisposeAsync();
}

/// <summary>A second bed of the same setup, for the test that kills a host.</summary>
public sealed class NamesDeadHostFixture : NamesBedFixture;
