using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver;

/// <summary>The driver's log lines (event ids 2xxx), with the product's fixed field names.</summary>
internal static partial class DriverLog
{
    [LoggerMessage(2001, LogLevel.Information, "driver started on host {HostId}: locator {Vtep} via {Interface}, overlay MTU {Mtu}, {Networks} networks and {Endpoints} endpoints restored")]
    public static partial void Started(ILogger logger, string hostId, string vtep, string @interface, int mtu, int networks, int endpoints);

    [LoggerMessage(2002, LogLevel.Information, "network {NetworkId} is logical network {LogicalId} with VNI {Vni}")]
    public static partial void NetworkCreated(ILogger logger, string networkId, string logicalId, uint vni);

    [LoggerMessage(2003, LogLevel.Information, "network {NetworkId} removed from this host (logical network {LogicalId}, last host: {LastHost})")]
    public static partial void NetworkDeleted(ILogger logger, string networkId, string logicalId, bool lastHost);

    [LoggerMessage(2004, LogLevel.Information, "overlay namespace {Sandbox} ready for VNI {Vni}")]
    public static partial void SandboxReady(ILogger logger, string sandbox, uint vni);

    [LoggerMessage(2005, LogLevel.Information, "overlay namespace {Sandbox} removed")]
    public static partial void SandboxRemoved(ILogger logger, string sandbox);

    [LoggerMessage(2006, LogLevel.Debug, "network {NetworkId}: programmed {Added} peers, removed {Removed}")]
    public static partial void PeersProgrammed(ILogger logger, string networkId, int added, int removed);

    [LoggerMessage(2007, LogLevel.Warning, "network {NetworkId}: programming peers failed: {Error}")]
    public static partial void PeersFailed(ILogger logger, string networkId, string error);

    [LoggerMessage(2008, LogLevel.Warning, "store watch interrupted: {Error}")]
    public static partial void WatchFailed(ILogger logger, string error);

    [LoggerMessage(2009, LogLevel.Information, "lease re-established; {Count} records re-announced")]
    public static partial void LeaseRenewed(ILogger logger, int count);

    [LoggerMessage(2010, LogLevel.Warning, "lease renewal failed: {Error}")]
    public static partial void LeaseRenewFailed(ILogger logger, string error);

    [LoggerMessage(2011, LogLevel.Warning, "restoring network {NetworkId}: {Error}")]
    public static partial void RestoreFailed(ILogger logger, string networkId, string error);

    [LoggerMessage(2020, LogLevel.Warning, "miss monitor stopped: {Error}")]
    public static partial void MissMonitorFailed(ILogger logger, string error);

    [LoggerMessage(2021, LogLevel.Debug, "network {NetworkId}: answered {Miss} from the peer cache: {Answer}")]
    public static partial void MissAnswered(ILogger logger, string networkId, string miss, string answer);

    [LoggerMessage(2022, LogLevel.Information, "reconciliation repaired {Network} {Kind} {Object}: {Detail}")]
    public static partial void DriftRepaired(ILogger logger, string network, string kind, string @object, string detail);

    [LoggerMessage(2023, LogLevel.Warning, "reconciliation: drift remains in {Network}: {Kind} {Object}: {Detail}")]
    public static partial void DriftRemains(ILogger logger, string network, string kind, string @object, string detail);

    [LoggerMessage(2024, LogLevel.Warning, "reconciliation failed (retried next interval): {Error}")]
    public static partial void ReconcileFailed(ILogger logger, string error);

    [LoggerMessage(2025, LogLevel.Warning, "forgot host {HostId}: {Endpoints} endpoint record(s), {Memberships} membership(s), {Removed} logical network(s) it was the last member of")]
    public static partial void HostForgotten(ILogger logger, string hostId, int endpoints, int memberships, int removed);

    [LoggerMessage(2040, LogLevel.Information, "lease {LeaseId} of the previous start is {Outcome}")]
    public static partial void PreviousLease(ILogger logger, string leaseId, string outcome);

    [LoggerMessage(2041, LogLevel.Information, "lease {LeaseId} of the previous start revoked: its records are now held by this start's lease")]
    public static partial void PreviousLeaseReleased(ILogger logger, string leaseId);

    [LoggerMessage(2042, LogLevel.Information, "stopping: {Count} records handed to parking lease {LeaseId}, kept {GraceSeconds} s for the next start")]
    public static partial void LeaseParked(ILogger logger, int count, string leaseId, double graceSeconds);

    [LoggerMessage(2043, LogLevel.Warning, "stopping: records could not be handed to a parking lease ({Error}); they stay {TtlSeconds} s under the current lease")]
    public static partial void LeaseParkFailed(ILogger logger, string error, double ttlSeconds);

    [LoggerMessage(2044, LogLevel.Warning, "host {HostId} lost its lease: its entries stay while it answers on the underlay at {Locator}")]
    public static partial void HostLeaseLapsed(ILogger logger, string hostId, string locator);

    [LoggerMessage(2045, LogLevel.Information, "host {HostId} answers at {Locator} but cannot reach the store: its entries stay (store-unreachable)")]
    public static partial void HostStoreUnreachable(ILogger logger, string hostId, string locator);

    [LoggerMessage(2046, LogLevel.Information, "host {HostId} is back with a lease; {Count} of its records it no longer has were dropped")]
    public static partial void HostReturned(ILogger logger, string hostId, int count);

    [LoggerMessage(2047, LogLevel.Warning, "host {HostId} dropped with {Count} records: {Reason}")]
    public static partial void HostDropped(ILogger logger, string hostId, int count, string reason);

    [LoggerMessage(2048, LogLevel.Information, "record {EndpointId} of lapsed host {HostId} dropped: live record {WinnerId} of host {WinnerHostId} claims its address or MAC")]
    public static partial void LapsedRecordDisplaced(ILogger logger, string endpointId, string hostId, string winnerId, string winnerHostId);

    [LoggerMessage(2049, LogLevel.Debug, "liveness check of {HostId} could not ask the store: {Error}")]
    public static partial void LivenessStoreFailed(ILogger logger, string hostId, string error);

    [LoggerMessage(2050, LogLevel.Information, "liveness echo listening on {Address}:{Port}")]
    public static partial void ProbeResponderStarted(ILogger logger, string address, int port);

    [LoggerMessage(2051, LogLevel.Debug, "liveness echo: {Error}")]
    public static partial void ProbeResponderFailed(ILogger logger, string error);

    [LoggerMessage(2030, LogLevel.Information, "overlay namespace {Sandbox}: resolver listening on {Address}:53")]
    public static partial void ResolverStarted(ILogger logger, string sandbox, string address);

    [LoggerMessage(2031, LogLevel.Warning, "overlay namespace {Sandbox}: no resolver, names will not answer there: {Error}")]
    public static partial void ResolverFailed(ILogger logger, string sandbox, string error);

    [LoggerMessage(2032, LogLevel.Information, "endpoint {EndpointId} on network {NetworkId}: names {Names}")]
    public static partial void NamesSet(ILogger logger, string endpointId, string networkId, string names);

    [LoggerMessage(2060, LogLevel.Information, "overlay namespace {Sandbox} kept for {GraceSeconds} s after its last endpoint (DNP_NETNS_GRACE)")]
    public static partial void SandboxGrace(ILogger logger, string sandbox, double graceSeconds);

    [LoggerMessage(2061, LogLevel.Warning, "overlay namespace {Sandbox}: removing it after its grace period failed (the reconciler retries): {Error}")]
    public static partial void SandboxGraceFailed(ILogger logger, string sandbox, string error);

    [LoggerMessage(2062, LogLevel.Warning, "veth {Veth} of a departed endpoint in {Sandbox}: deleting it after the reply failed (the reconciler deletes it): {Error}")]
    public static partial void VethDeleteFailed(ILogger logger, string veth, string sandbox, string error);

    [LoggerMessage(2063, LogLevel.Warning, "stopping: {Count} veth deletion(s) not finished within {Seconds} s; the reconciler of the next start deletes them")]
    public static partial void VethDeletesLeft(ILogger logger, int count, double seconds);

    [LoggerMessage(2064, LogLevel.Information, "veth {Veth} of a departed endpoint deleted in {Sandbox} after the reply, in {ElapsedMs:0.0} ms")]
    public static partial void VethDeleted(ILogger logger, string veth, string sandbox, double elapsedMs);

    [LoggerMessage(2065, LogLevel.Error, "Join of endpoint {EndpointId} on network {NetworkId} failed, and undoing it failed too ({Step}; the reconciler finishes it): {Error}")]
    public static partial void JoinRollbackFailed(ILogger logger, string endpointId, string networkId, string step, string error);

    [LoggerMessage(2052, LogLevel.Warning, "{What} of endpoint record {Key} did not reach the store within {Seconds} s; it is retried in the background: {Error}")]
    public static partial void RecordWriteDeferred(ILogger logger, string what, string key, double seconds, string error);

    [LoggerMessage(2053, LogLevel.Information, "{What} of endpoint record {Key} reached the store after it was deferred")]
    public static partial void RecordWriteCaughtUp(ILogger logger, string what, string key);

    [LoggerMessage(2054, LogLevel.Information, "{Count} endpoint record(s) left to withdraw by the previous run are withdrawn in the background")]
    public static partial void WithdrawsResumed(ILogger logger, int count);

    [LoggerMessage(2080, LogLevel.Warning, "record {Key} of this host was deleted or overwritten by another writer; put back")]
    public static partial void OwnRecordRestored(ILogger logger, string key);

    [LoggerMessage(2081, LogLevel.Warning, "record {Key} of this host is missing or altered in the store (another writer, or this host's lease expired while it was cut off); putting it back failed (the reconciler and the next lease retry): {Error}")]
    public static partial void OwnRecordRestoreFailed(ILogger logger, string key, string error);
}
