namespace DockerNetPlugin.Integration.Tests.Reliability;

/// <summary>
/// Two simulated hosts with the plugin and a real etcd, for outage and restart scenarios. Reconciliation runs only at
/// start (DNP_RECONCILE_INTERVAL=0), so what `dnp doctor` reports is not repaired behind the test's back.
/// </summary>
public sealed class TwoHostOutageFixture() : TwoHostEtcdFixture(0);
