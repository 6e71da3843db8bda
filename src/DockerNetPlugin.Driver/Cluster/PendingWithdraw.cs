namespace DockerNetPlugin.Driver.Cluster;

/// <summary>An endpoint record still to withdraw from the cluster store (<c>local-withdraws/…</c> in the local state dir; survives a restart).</summary>
public sealed record PendingWithdraw(string NetworkId, string EndpointId);
