using System.Text;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Reconcile;
using DockerNetPlugin.Driver.Tests.Fakes;
using DockerNetPlugin.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerNetPlugin.Driver.Tests;

/// <summary>
/// Another writer of the store deletes or overwrites this host's own records (what the hostile-store fuzzer does): the
/// owner puts them back at once (the watches tell the record restorer), and the reconciliation reports and repairs what
/// a watch missed; a record this host withdrew or deleted is never put back.
/// </summary>
public sealed class OwnRecordsTests
{
    // The bed's host is the only one, so the key layout writes by-host copies only (DNP_KEY_LAYOUT=auto): those are the records.
    private static string EndpointKey => Own(ClusterKeys.Endpoint("net1", "ep1"));
    private static string HostKey => Own(ClusterKeys.Host(DriverBed.HostId));
    private static string MembershipKey => Own(ClusterKeys.Membership("net1", DriverBed.HostId));

    private static string Own(string logical) => ClusterKeys.ByHost(logical, DriverBed.HostId)!;

    [Fact]
    public async Task EndpointRecordDeleted_PutBackByTheOwner_WithoutAReconciliation()
    {
        await using var bed = await JoinedAsync();
        var original = await ValueAsync(bed, EndpointKey);

        await bed.Cluster.DeleteAsync(EndpointKey, CancellationToken.None);

        await Eventually.TrueAsync(async () => await ValueAsync(bed, EndpointKey) == original, "the deleted endpoint record is back as it was");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("""{"networkId":"net1","endpointId":"ep1","hostId":"host-a","iPv4":"10.20.0.77/24","mac":"02:42:0a:14:00:4d","locator":"192.0.2.1"}""")]
    public async Task EndpointRecordOverwritten_JunkOrAnotherValidLookingRecord_PutBackAsItWas(string written)
    {
        await using var bed = await JoinedAsync();
        var original = await ValueAsync(bed, EndpointKey);

        await bed.PutRawAsync(EndpointKey, written);

        await Eventually.TrueAsync(async () => await ValueAsync(bed, EndpointKey) == original, "the overwritten endpoint record is back as it was");
    }

    /// <summary>Both key layouts: a legacy copy is put back while a host of the previous release needs it, never once a layout switch retired it.</summary>
    [Fact]
    public async Task BesideAPreviousReleasesHost_TheLegacyCopyIsPutBack_OnceRetiredItIsNot()
    {
        await using var bed = await JoinedAsync();
        var original = await ValueAsync(bed, EndpointKey);
        var legacy = ClusterKeys.Endpoint("net1", "ep1");
        await bed.RegisterHostAsync("host-b", "192.0.2.2"); // announces no by-host layout: this host writes legacy copies again
        await Eventually.TrueAsync(async () => await ValueAsync(bed, legacy) == original, "the legacy copy written for host-b");

        await bed.Cluster.DeleteAsync(legacy, CancellationToken.None);
        await Eventually.TrueAsync(async () => await ValueAsync(bed, legacy) == original, "the deleted legacy copy is put back");

        await bed.Cluster.DeleteAsync(ClusterKeys.Host("host-b"), CancellationToken.None); // by-host only again: legacy copies retired
        await Eventually.TrueAsync(async () => await ValueAsync(bed, legacy) is null, "the legacy copy retired");
        await bed.PutRawAsync(legacy, "junk");
        await bed.PutRawAsync(EndpointKey, "junk"); // overwritten after it: once this one is back, the restorer has seen both
        await Eventually.TrueAsync(async () => await ValueAsync(bed, EndpointKey) == original, "the by-host copy is back");
        Assert.Equal("junk", await ValueAsync(bed, legacy));
    }

    [Fact]
    public async Task HostRecordDeletedThenOverwritten_PutBackEachTime()
    {
        await using var bed = await JoinedAsync();
        var original = await ValueAsync(bed, HostKey);

        await bed.Cluster.DeleteAsync(HostKey, CancellationToken.None);
        await Eventually.TrueAsync(async () => await ValueAsync(bed, HostKey) == original, "the deleted host record is back");
        await bed.PutRawAsync(HostKey, """{"hostId":"host-a","locator":"192.0.2.99"}""");
        await Eventually.TrueAsync(async () => await ValueAsync(bed, HostKey) == original, "the overwritten host record is back");
    }

    [Fact]
    public async Task WithdrawnRecord_WrittenAgainByAStranger_NotPutBackAsTheOwners()
    {
        await using var bed = await JoinedAsync();
        await bed.JoinNewAsync("net1", "ep2", "10.20.0.3/24");
        await bed.Driver.LeaveAsync("net1", "ep1", CancellationToken.None);
        await Eventually.TrueAsync(async () => !await bed.RecordExistsAsync("net1", "ep1"), "ep1's record withdrawn");

        await bed.PutRawAsync(EndpointKey, "junk");
        // A record the host still holds, overwritten after it: once that one is back, the restorer has seen both.
        var ep2Key = Own(ClusterKeys.Endpoint("net1", "ep2"));
        var ep2 = await ValueAsync(bed, ep2Key);
        await bed.PutRawAsync(ep2Key, "junk");
        await Eventually.TrueAsync(async () => await ValueAsync(bed, ep2Key) == ep2, "ep2's record is back");

        Assert.Equal("junk", await ValueAsync(bed, EndpointKey)); // a stranger's key now: reported as invalid, never claimed
    }

    [Fact]
    public async Task MembershipDeletedThenAltered_PutBackByTheOwner_WithoutAReconciliation()
    {
        await using var bed = await JoinedAsync();
        var original = await ValueAsync(bed, MembershipKey);

        await bed.Cluster.DeleteAsync(MembershipKey, CancellationToken.None);
        await Eventually.TrueAsync(async () => await ValueAsync(bed, MembershipKey) == original, "the deleted membership is back");
        await bed.PutRawAsync(MembershipKey, """{"networkId":"net1","hostId":"host-a","dockerNetworkId":"other"}""");
        await Eventually.TrueAsync(async () => await ValueAsync(bed, MembershipKey) == original, "the altered membership is back as it was");
    }

    [Theory]
    [InlineData("membership")]
    [InlineData("host")]
    public async Task RecordMissingOrAlteredWhileItsPutBackHangs_ReconciliationReportsIt(string which)
    {
        await using var bed = await JoinedAsync();
        var key = which == "host" ? HostKey : MembershipKey;
        var original = await ValueAsync(bed, key);
        bed.ClusterGate.Hold = k => k == key;
        await using var reconciler = new Reconciler(bed.Driver, null, NullLogger.Instance);

        await bed.Cluster.DeleteAsync(key, CancellationToken.None);
        await bed.ClusterGate.Held.Task.WaitAsync(TimeSpan.FromSeconds(30)); // the restorer's write waits on the store
        var missing = await reconciler.RunAsync(repair: false, CancellationToken.None);
        Assert.Contains(missing.Found, d => d.Kind == DriftKinds.RecordMissing && d.Object == key);
        await bed.PutRawAsync(key, "{}");
        var altered = await reconciler.RunAsync(repair: false, CancellationToken.None);
        Assert.Contains(altered.Found, d => d.Kind == DriftKinds.RecordAltered && d.Object == key);

        bed.ClusterGate.Release();
        await Eventually.TrueAsync(async () => await ValueAsync(bed, key) == original, "the record is back once the store takes writes");
        // Clean once the watches saw it back (a missing host record leaves this host's own endpoint record without a registered locator).
        await Eventually.TrueAsync(async () => (await reconciler.RunAsync(repair: false, CancellationToken.None)).Clean, "no drift then");
    }

    [Fact]
    public async Task NetworkDeleted_ItsMembershipWrittenAgainByAStranger_NotClaimed()
    {
        await using var bed = await JoinedAsync();
        await bed.Driver.DeleteNetworkAsync("net1", CancellationToken.None);
        Assert.Null(await ValueAsync(bed, MembershipKey));

        await bed.PutRawAsync(MembershipKey, "junk");
        var host = await ValueAsync(bed, HostKey); // a record the host still holds, deleted after it: once it is back, the restorer saw both
        await bed.Cluster.DeleteAsync(HostKey, CancellationToken.None);
        await Eventually.TrueAsync(async () => await ValueAsync(bed, HostKey) == host, "the host record is back");

        Assert.Equal("junk", await ValueAsync(bed, MembershipKey));
    }

    [Fact]
    public async Task Status_ShowsTheRecordRestorerAndTheMembershipWatchRunning()
    {
        await using var bed = await JoinedAsync();
        Assert.Contains(bed.Driver.GetStatus().Loops, l => l.Name == "record-restorer" && l.State == DockerNetPlugin.Driver.Trust.LoopState.Running);
        Assert.Contains(bed.Driver.GetStatus().Loops, l => l.Name == "membership-watch" && l.State == DockerNetPlugin.Driver.Trust.LoopState.Running);
    }

    private static async Task<DriverBed> JoinedAsync()
    {
        var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        await Eventually.TrueAsync(() => bed.RecordExistsAsync("net1", "ep1"), "ep1 published");
        return bed;
    }

    private static async Task<string?> ValueAsync(DriverBed bed, string key) =>
        await bed.Cluster.GetAsync(key, CancellationToken.None) is { } entry ? Encoding.UTF8.GetString(entry.Value.Span) : null;
}

/// <summary>The record restorer against a writer that never stops overwriting a key: bounded writes, not a storm.</summary>
public sealed class RecordRestorerTests
{
    [Fact]
    public async Task KeyOverwrittenOverAndOver_WrittenBackAtOnceBurstTimes_ThenAtTheBudgetsPace()
    {
        var dir = Directory.CreateTempSubdirectory("dnp-restorer-tests-").FullName;
        try
        {
            await using var file = await DockerNetPlugin.Store.Local.FileKvStore.OpenAsync(dir, CancellationToken.None);
            await using var localFile = await DockerNetPlugin.Store.Local.FileKvStore.OpenAsync(Path.Combine(dir, "local"), CancellationToken.None);
            await using var lease = new LeaseKeeper(file, new RecordStore(localFile), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10), NullLogger.Instance, new DockerNetPlugin.Driver.Trust.LoopSupervisor(NullLogger.Instance), new WriteLayout(KeyLayoutMode.Auto, "host-a"));
            await lease.StartAsync(CancellationToken.None);
            var key = ClusterKeys.Host("host-a");
            await lease.PutAsync(key, "mine"u8.ToArray(), CancellationToken.None);
            var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch);
            var restorer = new RecordRestorer(lease, NullLogger.Instance, time);
            using var stop = new CancellationTokenSource();
            var loop = restorer.RunAsync(stop.Token);

            for (var i = 0; i < RecordRestorer.Burst; i++)
            {
                await OverwriteAsync(file, restorer, key);
                await Eventually.TrueAsync(async () => await ValueAsync(file, key) == "mine", $"write-back {i + 1} at once");
            }
            await OverwriteAsync(file, restorer, key);
            await Eventually.TrueAsync(() => restorer.Deferred == 1, "the next one waits for a token");
            Assert.Equal("theirs", await ValueAsync(file, key));
            Assert.Equal(RecordRestorer.Burst, restorer.Restored);

            time.Advance(RecordRestorer.Window / RecordRestorer.Burst);
            await Eventually.TrueAsync(async () => await ValueAsync(file, key) == "mine", "written back once a token came");
            Assert.Equal(RecordRestorer.Burst + 1, restorer.Restored);
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task OverwriteAsync(IKvStore store, RecordRestorer restorer, string key)
    {
        var theirs = "theirs"u8.ToArray();
        var revision = await store.PutAsync(key, theirs, null, CancellationToken.None);
        restorer.Seen(new KvPut(new KvEntry(key, theirs, revision, revision, null), revision), ClusterKeys.HostsPrefix);
    }

    private static async Task<string?> ValueAsync(IKvStore store, string key) =>
        await store.GetAsync(key, CancellationToken.None) is { } entry ? Encoding.UTF8.GetString(entry.Value.Span) : null;
}
