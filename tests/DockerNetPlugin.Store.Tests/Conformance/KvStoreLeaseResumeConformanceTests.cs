using DockerNetPlugin.Store;

namespace DockerNetPlugin.Store.Tests.Conformance;

/// <summary>
/// A graceful stop leaves a host's keys to its lease, and the next process takes the lease back
/// (<see cref="ILease.DetachAsync"/>, <see cref="IKvStore.ResumeLeaseAsync"/>); an owner may move its keys from one of
/// its leases to another (a stopping plugin parks its records on a longer lease).
/// </summary>
public abstract class KvStoreLeaseResumeConformanceTests : KvStoreTestBase
{
    /// <summary>The TTL the tests ask for.</summary>
    protected virtual TimeSpan LeaseTtl => TimeSpan.FromSeconds(2);

    /// <summary>The client process ends (its store is closed) and a new one opens the same store; returns the new client.</summary>
    protected abstract Task<IKvStore> NextProcessAsync();

    [Fact]
    public async Task ResumeLeaseAsync_DetachedByThePreviousProcess_KeysStayAndOutliveThreeTtls()
    {
        var lease = await Store.GrantLeaseAsync(LeaseTtl, Ct);
        var va = await Store.PutAsync(K("r/a"), Bytes("a"), lease, Ct);
        var vb = await Store.PutAsync(K("r/b"), Bytes("b"), lease, Ct);
        var (id, ttl) = (lease.Id, lease.GrantedTtl);
        await lease.DetachAsync();
        await lease.DisposeAsync(); // after a detach, dispose revokes nothing

        Store = await NextProcessAsync();
        await using var resumed = await Store.ResumeLeaseAsync(id, ttl, Ct);

        Assert.NotNull(resumed);
        Assert.Equal(id, resumed.Id);
        await Task.Delay(resumed.GrantedTtl * 3 + TimeSpan.FromMilliseconds(500));
        var entries = (await Store.ListAsync(K("r/"), Ct)).Entries;
        // Same versions: the keys were never deleted and written again.
        Assert.Equal([(K("r/a"), va, id), (K("r/b"), vb, id)], entries.Select(e => (e.Key, e.Version, e.LeaseId!)).ToArray());
        Assert.False(resumed.Lost.IsCancellationRequested);
        var v2 = await Store.PutAsync(K("r/a"), Bytes("a2"), resumed, Ct);
        Assert.True(v2 > va);
    }

    [Fact]
    public async Task DetachAsync_NobodyResumes_KeysVanishAfterTheTtl()
    {
        var lease = await Store.GrantLeaseAsync(LeaseTtl, Ct);
        await Store.PutAsync(K("d/a"), Bytes("a"), lease, Ct);
        await lease.DetachAsync();

        Store = await NextProcessAsync();

        Assert.NotNull(await Store.GetAsync(K("d/a"), Ct)); // not before its TTL
        await EventuallyAsync(async () => await Store.GetAsync(K("d/a"), Ct) is null, "the detached lease's key expired");
    }

    [Fact]
    public async Task ResumeLeaseAsync_RevokedOrUnknown_ReturnsNull()
    {
        var lease = await Store.GrantLeaseAsync(LeaseTtl, Ct);
        await Store.PutAsync(K("n/a"), Bytes("a"), lease, Ct);
        var (id, ttl) = (lease.Id, lease.GrantedTtl);
        await lease.DisposeAsync();

        Store = await NextProcessAsync();

        Assert.Null(await Store.ResumeLeaseAsync(id, ttl, Ct));
        Assert.Null(await Store.ResumeLeaseAsync("not-a-lease", ttl, Ct));
        Assert.Null(await Store.GetAsync(K("n/a"), Ct));
    }

    [Fact]
    public async Task DisposeAsync_ResumedLease_RevokesItsKeys()
    {
        var lease = await Store.GrantLeaseAsync(LeaseTtl, Ct);
        await Store.PutAsync(K("v/a"), Bytes("a"), lease, Ct);
        await lease.DetachAsync();
        Store = await NextProcessAsync();
        var resumed = await Store.ResumeLeaseAsync(lease.Id, lease.GrantedTtl, Ct);
        Assert.NotNull(resumed);

        await resumed.DisposeAsync();

        await EventuallyAsync(async () => await Store.GetAsync(K("v/a"), Ct) is null, "the resumed lease's key went with its revoke");
    }

    [Fact]
    public async Task PutAsync_OwnerMovesKeyToItsOtherLease_RevokingTheFirstLeavesIt()
    {
        var first = await Store.GrantLeaseAsync(LeaseTtl, Ct);
        var second = await Store.GrantLeaseAsync(LeaseTtl * 2, Ct);
        await Store.PutAsync(K("m/a"), Bytes("a"), first, Ct);

        await Store.PutAsync(K("m/a"), Bytes("a"), second, Ct);
        await first.DisposeAsync();

        Assert.Equal(second.Id, (await Store.GetAsync(K("m/a"), Ct))?.LeaseId);
        await second.DisposeAsync();
        await EventuallyAsync(async () => await Store.GetAsync(K("m/a"), Ct) is null, "the key went with the lease it moved to");
    }
}
