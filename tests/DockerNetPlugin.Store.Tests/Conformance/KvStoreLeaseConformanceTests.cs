using DockerNetPlugin.Store;

namespace DockerNetPlugin.Store.Tests.Conformance;

/// <summary>
/// Lease behaviour (kv.md §4.9 items 21-25). Backends subclass it when they can stop a lease's
/// keepalive and revoke a lease behind its owner's back (on Consul: the fake with a short TTL).
/// </summary>
public abstract class KvStoreLeaseConformanceTests : KvStoreTestBase
{
    /// <summary>The TTL the tests ask for (etcd and embedded accept 2 s).</summary>
    protected virtual TimeSpan LeaseTtl => TimeSpan.FromSeconds(2);

    /// <summary>Whether revoking a lease deletes all its keys in one revision (etcd, embedded).</summary>
    protected virtual bool RevokeIsOneRevision => true;

    /// <summary>Makes the lease stop renewing, as if its owner hung; it must then expire on its own.</summary>
    protected abstract Task StopKeepAliveAsync(ILease lease);

    /// <summary>Ends the lease on the server side (revoke, session destroy), without the owner's involvement.</summary>
    protected abstract Task RevokeBehindOwnersBackAsync(ILease lease);

    [Fact]
    public async Task GrantLeaseAsync_KeepAliveRunning_KeySurvivesThreeTtls()
    {
        await using var lease = await Store.GrantLeaseAsync(LeaseTtl, Ct);
        await Store.PutAsync(K("live"), Bytes("v"), lease, Ct);

        await Task.Delay(lease.GrantedTtl * 3 + TimeSpan.FromMilliseconds(500));

        var entry = await Store.GetAsync(K("live"), Ct);
        Assert.NotNull(entry);
        Assert.Equal(lease.Id, entry.LeaseId);
        Assert.False(lease.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task GrantLeaseAsync_KeepAliveStopped_KeyVanishesAndWatchersSeeDelete()
    {
        var lease = await Store.GrantLeaseAsync(LeaseTtl, Ct);
        await Store.PutAsync(K("l/a"), Bytes("v"), lease, Ct);
        var snapshot = await Store.ListAsync(K("l/"), Ct);
        await using var probe = Watch(K("l/"), snapshot.Revision);

        await StopKeepAliveAsync(lease);

        Assert.NotNull(await Store.GetAsync(K("l/a"), Ct)); // not before its TTL
        await probe.UntilEventAsync<KvDeleted>(d => d.Key == K("l/a"), "the delete caused by lease expiry");
        Assert.Null(await Store.GetAsync(K("l/a"), Ct));
        await lease.DisposeAsync();
    }

    [Fact]
    public async Task DisposeAsync_LeaseWithKeys_DeletesThemAllTogether()
    {
        var lease = await Store.GrantLeaseAsync(LeaseTtl, Ct);
        foreach (var n in new[] { "a", "b", "c" })
            await Store.PutAsync(K($"l/{n}"), Bytes(n), lease, Ct);
        await Store.PutAsync(K("l/unleased"), Bytes("stays"), null, Ct);
        await using var probe = Watch(K("l/"), 0);
        await probe.UntilAsync(s => s.Count == 4, "the initial state");

        await lease.DisposeAsync();

        await probe.UntilAsync(s => s.Count == 1, "all leased keys deleted");
        Assert.Equal([K("l/unleased")], (await Store.ListAsync(K("l/"), Ct)).Entries.Select(e => e.Key).ToArray());
        if (RevokeIsOneRevision)
            Assert.Single(probe.Seen.OfType<KvDeleted>().Select(d => d.Revision).Distinct());
    }

    [Fact]
    public async Task GrantLeaseAsync_RevokedOnServer_FiresLostAndRegrantRestoresKey()
    {
        var lease = await Store.GrantLeaseAsync(LeaseTtl, Ct);
        await Store.PutAsync(K("node"), Bytes("me"), lease, Ct);

        await RevokeBehindOwnersBackAsync(lease);

        var lost = new TaskCompletionSource();
        using var registration = lease.Lost.Register(() => lost.TrySetResult());
        var fired = await Task.WhenAny(lost.Task, Task.Delay(lease.GrantedTtl * 2 + Patience));
        Assert.Same(lost.Task, fired);
        await EventuallyAsync(async () => await Store.GetAsync(K("node"), Ct) is null, "the key of the revoked lease is gone");
        await Assert.ThrowsAsync<StoreLeaseLostException>(() => Store.PutAsync(K("node"), Bytes("me"), lease, Ct));

        await using var fresh = await Store.GrantLeaseAsync(LeaseTtl, Ct);
        var recreated = await Store.CompareAndSetAsync(K("node"), Bytes("me"), 0, fresh, Ct);
        Assert.True(recreated.Succeeded);
        Assert.Equal(fresh.Id, (await Store.GetAsync(K("node"), Ct))!.LeaseId);
        await lease.DisposeAsync(); // revoking a lost lease is harmless
    }

    [Fact]
    public async Task PutAsync_OwnerUpdatesLeasedKey_KeepsLeaseAttachment()
    {
        var lease = await Store.GrantLeaseAsync(LeaseTtl, Ct);
        await Store.PutAsync(K("owned"), Bytes("1"), lease, Ct);
        var v = (await Store.GetAsync(K("owned"), Ct))!.Version;
        var cas = await Store.CompareAndSetAsync(K("owned"), Bytes("2"), v, lease, Ct);

        Assert.True(cas.Succeeded);
        Assert.Equal(lease.Id, (await Store.GetAsync(K("owned"), Ct))!.LeaseId);
        await lease.DisposeAsync();
        await EventuallyAsync(async () => await Store.GetAsync(K("owned"), Ct) is null, "the updated key vanished with its lease");
    }

    [Fact]
    public async Task GrantLeaseAsync_TtlBelowMinimum_IsRaisedNotRefused()
    {
        await using var lease = await Store.GrantLeaseAsync(TimeSpan.FromMilliseconds(100), Ct);

        Assert.True(lease.GrantedTtl >= KvLimits.MinLeaseTtl, $"granted {lease.GrantedTtl}");
        Assert.False(string.IsNullOrEmpty(lease.Id));
    }
}
