using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.Replication;

/// <summary>The shared store a replication bed runs on.</summary>
public enum ReplicationStore
{
    /// <summary>A real etcd on the fabric (<c>etcd://</c>).</summary>
    Etcd,

    /// <summary>The Consul emulator served on the fabric (<c>consul://</c>).</summary>
    Consul,
}

/// <summary>
/// Three simulated Docker hosts on one underlay, each with the real plugin in its default mode (networks
/// replicated through each host's Engine API), sharing one store; a short lease so a dead host goes quickly.
/// The scenarios (<see cref="ReplicatedNetworkScenarios{TFixture}"/>, <see cref="DeadHostScenarios{TFixture}"/>) run on each store.
/// </summary>
public abstract class ReplicationBedFixture(ReplicationStore store) : IAsyncLifetime
{
    public static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(5);

    /// <summary>Consul's smallest session TTL (the plugin asks for no less; the emulator enforces it as Consul does).</summary>
    private static readonly TimeSpan s_consulMinSessionTtl = TimeSpan.FromSeconds(10);

    public ReplicationStore Store => store;

    public Testbed.Testbed Bed { get; private set; } = null!;

    /// <summary>
    /// How long a dead host's records may outlive it. etcd: the lease TTL plus the store's expiry sweep and the watch
    /// delivery. Consul: a lease is a session of half the TTL but at least 10 s, which Consul may invalidate up to twice
    /// its TTL after the last renewal; then the same delivery. On both, a host whose lease lapsed is dropped only once it
    /// also misses three liveness probes a second apart (plus slack for a loaded machine).
    /// </summary>
    public TimeSpan DeadHostExpiry => ProbeWindow + (store == ReplicationStore.Etcd
        ? LeaseTtl * 3
        : (LeaseTtl / 2 > s_consulMinSessionTtl ? LeaseTtl / 2 : s_consulMinSessionTtl) * 2 + LeaseTtl * 2);

    private static readonly TimeSpan ProbeWindow = TimeSpan.FromSeconds(5);

    public async Task InitializeAsync() =>
        Bed = await Testbed.Testbed.StartAsync(new TestbedOptions
        {
            HostCount = 3,
            StartEtcd = store == ReplicationStore.Etcd,
            StartConsul = store == ReplicationStore.Consul,
            StartPlugin = true,
            StartInternet = false,
            PluginEnvironment = new Dictionary<string, string>
            {
                ["DNP_REPLICATE"] = "true",
                ["DNP_LEASE_TTL"] = ((int)LeaseTtl.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        });

    /// <summary>The keys under <paramref name="prefix"/> in the bed's store, e.g. <c>dnp/v1/networks/</c>.</summary>
    public async Task<IReadOnlyList<string>> StoreKeysAsync(string prefix) => store == ReplicationStore.Etcd
        ? (await Bed.Etcd!.EtcdctlAsync("get", "--prefix", "--keys-only", prefix)).EnsureSuccess().StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        : await Bed.Consul!.KeysAsync(prefix);

    public async Task DisposeAsync() => await Bed.DisposeAsync();
}

/// <summary>The replication bed on a real etcd.</summary>
public sealed class ThreeHostReplicationFixture() : ReplicationBedFixture(ReplicationStore.Etcd);

/// <summary>The replication bed on the Consul emulator.</summary>
public sealed class ThreeHostConsulReplicationFixture() : ReplicationBedFixture(ReplicationStore.Consul);
