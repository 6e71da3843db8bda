namespace DockerNetPlugin.Integration.Tests.Reliability;

/// <summary>
/// Two simulated hosts with the plugin and a real etcd for the hostile-store fuzzer. Reconciliation every
/// <see cref="ReconcileInterval"/> (the default is 30 s), so what only a reconciliation restores (whatever a watch
/// missed) comes back within one test.
/// </summary>
public sealed class HostileStoreFixture() : TwoHostEtcdFixture((int)ReconcileInterval.TotalSeconds)
{
    public static readonly TimeSpan ReconcileInterval = TimeSpan.FromSeconds(10);
}
