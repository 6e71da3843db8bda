namespace DockerNetPlugin.Driver.Reconcile;

/// <summary>
/// A host-wide check the <see cref="Reconciler"/> runs after its own, for state the driver does not own (the IPAM's
/// addresses). It adds what it finds to <paramref name="drift"/> and, when <see cref="DriftLog.Add"/> says so, repairs it.
/// </summary>
public interface IDriftCheck
{
    Task CheckAsync(DriftLog drift, bool repair, CancellationToken ct);
}
