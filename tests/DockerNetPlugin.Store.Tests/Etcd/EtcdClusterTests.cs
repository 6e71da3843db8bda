using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Etcd;
using DockerNetPlugin.Store.Tests.Conformance;
using Xunit.Abstractions;

namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>
/// The etcd backend given every member of a real three-member cluster, while members die, lose their leader or hold
/// requests: acknowledged writes stay, compare-and-set stays exclusive, a watch goes on from where it was, a lease lives
/// through a leader change, and a lost quorum fails calls at once with an error naming the store. Each client talks to
/// the leader first, so killing the leader kills the member it uses.
/// </summary>
[Collection(EtcdClusterCollection.Name)]
public sealed class EtcdClusterTests(EtcdClusterFixture cluster, ITestOutputHelper output) : KvStoreTestBase
{
    private LoopbackEtcd _leader = null!;

    protected override TimeSpan Patience => TimeSpan.FromSeconds(30);

    public override async Task InitializeAsync()
    {
        await cluster.HealAsync();
        _leader = await cluster.LeaderAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await cluster.HealAsync();
    }

    protected override Task<IKvStore> CreateStoreAsync() => ConnectAsync(cluster.ClientUrlsStartingWith(_leader));

    [Fact]
    public async Task LeaderKilledMidWrites_NoAcknowledgedWriteLost_CasStaysExclusive()
    {
        var other = await OpenAnotherAsync();
        var acknowledged = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var claims = new ConcurrentDictionary<int, ConcurrentBag<string>>();
        var counterWins = new ConcurrentBag<int>();
        var failures = new ConcurrentBag<string>();
        var afterKill = 0;
        var killed = false;
        using var stop = new CancellationTokenSource();

        async Task Loop(Func<int, Task> step)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    await step(i);
                    if (Volatile.Read(ref killed))
                        Interlocked.Increment(ref afterKill);
                }
                catch (StoreUnavailableException e)
                {
                    failures.Add(e.Message);
                }
            }
        }

        Task Writer(IKvStore s, string who) => Loop(async i =>
        {
            var key = K($"w/{who}-{i}");
            await s.PutAsync(key, Bytes($"{who}{i}"), null, Ct);
            acknowledged[key] = $"{who}{i}";
        });

        // Both clients race for the same keys; at most one may win each.
        Task Claimer(IKvStore s, string who) => Loop(async i =>
        {
            if ((await s.CompareAndSetAsync(K($"c/{i}"), Bytes(who), 0, null, Ct)).Succeeded)
                claims.GetOrAdd(i, _ => []).Add(who);
        });

        // Both clients increment one counter by compare-and-set; every value may be won once.
        Task Counter(IKvStore s) => Loop(async _ =>
        {
            var current = await s.GetAsync(K("counter"), Ct);
            var next = current is null ? 1 : int.Parse(Text(current), CultureInfo.InvariantCulture) + 1;
            if ((await s.CompareAndSetAsync(K("counter"), Bytes(next.ToString(CultureInfo.InvariantCulture)), current?.Version ?? 0, null, Ct)).Succeeded)
                counterWins.Add(next);
        });

        var work = new[] { Writer(Store, "a"), Writer(other, "b"), Claimer(Store, "a"), Claimer(other, "b"), Counter(Store), Counter(other) };
        await Task.Delay(1000);
        await cluster.KillAsync(_leader);
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref killed, true);
        await EventuallyAsync(() => Task.FromResult(Volatile.Read(ref afterKill) >= 200), "200 operations succeed after the leader was killed");
        var resumedAfter = clock.Elapsed;
        await stop.CancelAsync();
        await Task.WhenAll(work);

        output.WriteLine($"{acknowledged.Count} acknowledged puts, {claims.Count} keys claimed, {counterWins.Count} counter increments; "
            + $"{failures.Count} calls failed as unavailable; 200 operations done {resumedAfter.TotalSeconds:F1} s after the kill");
        foreach (var f in failures.Distinct().Take(5))
            output.WriteLine("  failure: " + f);

        var checker = await ConnectAsync(cluster.ClientUrls);
        Track(checker);
        foreach (var (key, value) in acknowledged)
            Assert.Equal(value, Text(await checker.GetAsync(key, Ct)));
        foreach (var (i, winners) in claims)
        {
            Assert.True(winners.Count == 1, $"claim {i} was won by {string.Join(" and ", winners)}");
            Assert.Equal(winners.Single(), Text(await checker.GetAsync(K($"c/{i}"), Ct)));
        }
        Assert.Equal(counterWins.Count, counterWins.Distinct().Count());
        var final = int.Parse(Text(await checker.GetAsync(K("counter"), Ct)), CultureInfo.InvariantCulture);
        Assert.True(final >= counterWins.Max(), $"the counter is {final}, below an acknowledged increment to {counterWins.Max()}");
    }

    [Fact]
    public async Task WatchPrefixAsync_LeaderKilled_ResumesOnAnotherMemberAndMissesNothing()
    {
        var writer = await OpenAnotherAsync();
        var snapshot = await Store.ListAsync(K("w/"), Ct);
        await using var probe = Watch(K("w/"), snapshot.Revision);
        var revisions = new List<ulong>();
        for (var i = 0; i < 300; i++)
        {
            if (i == 100)
                await cluster.KillAsync(_leader);
            var key = K($"w/k{i % 10}");
            revisions.Add(i % 7 == 6 ? await DeleteRevisionAsync(writer, key) : await writer.PutAsync(key, Bytes(i.ToString(CultureInfo.InvariantCulture)), null, Ct));
        }
        await writer.PutAsync(K("w/zz-done"), Bytes("done"), null, Ct);

        await probe.UntilAsync(s => s.ContainsKey(K("w/zz-done")), "every write made across the leader change");
        var final = await writer.ListAsync(K("w/"), Ct);
        Assert.Equal(final.Entries.Select(e => (e.Key, e.Version)), probe.State.Values.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, e.Version)));
        Assert.DoesNotContain(probe.Seen, e => e is KvResync);
        var reported = probe.Seen.Select(e => e.Revision).ToHashSet();
        var missed = revisions.Where(r => r != 0 && !reported.Contains(r)).ToList();
        Assert.True(missed.Count == 0, $"the watch never reported revisions {string.Join(",", missed.Take(20))}");
    }

    [Fact]
    public async Task Lease_LeaderKilled_LivesOnAndItsKeyStays()
    {
        await using var lease = await Store.GrantLeaseAsync(TimeSpan.FromSeconds(3), Ct);
        await Store.PutAsync(K("live"), Bytes("v"), lease, Ct);

        await cluster.KillAsync(_leader);
        await Task.Delay(lease.GrantedTtl * 3);

        Assert.False(lease.Lost.IsCancellationRequested, "the lease must survive the leader change");
        var entry = await Store.GetAsync(K("live"), Ct);
        Assert.NotNull(entry);
        Assert.Equal(lease.Id, entry.LeaseId);
        await Store.PutAsync(K("live2"), Bytes("v"), lease, Ct); // the lease is still usable
    }

    [Fact]
    public async Task QuorumLost_CallsFailFastNamingTheStore_WatchAndWritesResumeWhenItReturns()
    {
        var snapshot = await Store.ListAsync(K("q/"), Ct);
        await using var probe = Watch(K("q/"), snapshot.Revision);
        await Store.PutAsync(K("q/before"), Bytes("1"), null, Ct);
        await probe.UntilAsync(s => s.ContainsKey(K("q/before")), "the write before the outage");
        var survivor = cluster.Members.First(m => m != _leader);
        var stopped = cluster.Members.Where(m => m != survivor).ToArray();
        foreach (var m in stopped)
            await cluster.KillAsync(m);
        await Task.Delay(1500); // the survivor notices it has no leader (election timeout 0.5 s)

        var clock = Stopwatch.StartNew();
        var put = await Assert.ThrowsAsync<StoreUnavailableException>(() => Store.PutAsync(K("q/during"), Bytes("2"), null, Ct));
        var putTook = clock.Elapsed;
        clock.Restart();
        var cas = await Assert.ThrowsAsync<StoreUnavailableException>(() => Store.CompareAndSetAsync(K("q/cas"), Bytes("2"), 0, null, Ct));
        var casTook = clock.Elapsed;
        output.WriteLine($"without quorum: put failed after {putTook.TotalSeconds:F1} s ({put.Message}); compare-and-set after {casTook.TotalSeconds:F1} s ({cas.Message})");
        Assert.Contains("etcd at", put.Message, StringComparison.Ordinal);
        Assert.Contains("etcd at", cas.Message, StringComparison.Ordinal);

        await cluster.StartAsync(stopped);
        clock.Restart();
        await EventuallyAsync(async () =>
        {
            try
            {
                await Store.PutAsync(K("q/after"), Bytes("3"), null, Ct);
                return true;
            }
            catch (StoreUnavailableException)
            {
                return false;
            }
        }, "a write succeeds once quorum is back");
        output.WriteLine($"writes work again {clock.Elapsed.TotalSeconds:F1} s after the members were healthy");
        await probe.UntilAsync(s => s.ContainsKey(K("q/after")), "the write after the outage");
        Assert.DoesNotContain(probe.Seen, e => e is KvResync);
    }

    [Fact]
    public async Task MemberWithoutLeaderFirst_EveryCallIncludingCompareAndSetGoesToTheNextMember()
    {
        await using var fake = FakeEtcdMember.WithoutLeader();
        var store = Track(await ConnectAsync([fake.Url, .. cluster.ClientUrls]));

        Assert.True((await store.CompareAndSetAsync(K("nl"), Bytes("v"), 0, null, Ct)).Succeeded);

        Assert.Equal("v", Text(await store.GetAsync(K("nl"), Ct)));
        Assert.Equal(1, fake.Requests);
    }

    [Fact]
    public async Task SilentMemberFirst_CallsMoveOnAfterTheRequestTimeout_AndStayOnTheNextMember()
    {
        await using var fake = FakeEtcdMember.Silent();
        var store = Track(await ConnectAsync([fake.Url, .. cluster.ClientUrls], TimeSpan.FromSeconds(1)));

        await store.PutAsync(K("silent"), Bytes("v"), null, Ct);
        var snapshot = await store.ListAsync(K(""), Ct);

        Assert.Contains(snapshot.Entries, e => e.Key == K("silent"));
        Assert.Equal(1, fake.Requests);
    }

    [Fact]
    public async Task AnswerLostAfterALeasedWriteWasApplied_CompareAndSetAndCommitSucceedOnce()
    {
        await using var fake = FakeEtcdMember.AppliesThenDies(_leader.ClientUrl);
        var store = Track(await ConnectAsync([fake.Url, .. cluster.ClientUrls]));
        await using var lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(30), Ct); // went through the fake too

        var cas = await store.CompareAndSetAsync(K("lost/cas"), Bytes("mine"), 0, lease, Ct);
        await using var fake2 = FakeEtcdMember.AppliesThenDies(_leader.ClientUrl);
        var store2 = Track(await ConnectAsync([fake2.Url, .. cluster.ClientUrls]));
        await using var lease2 = await store2.GrantLeaseAsync(TimeSpan.FromSeconds(30), Ct);
        var committed = await store2.CommitAsync([new KvSetOp(K("lost/a"), Bytes("a"), 0, lease2), new KvSetOp(K("lost/b"), Bytes("b"), 0, lease2)], Ct);

        Assert.True(cas.Succeeded, "the write was applied before its answer was lost");
        var entry = await Store.GetAsync(K("lost/cas"), Ct);
        Assert.Equal("mine", Text(entry));
        Assert.Equal(entry!.Version, cas.NewVersion);
        Assert.True(committed);
        Assert.Equal("b", Text(await Store.GetAsync(K("lost/b"), Ct)));
    }

    [Fact]
    public async Task AnswerLostAfterAnUnleasedWriteWasApplied_ReportedAsAConflictShowingOurValue_NeverASecondWinner()
    {
        await using var fake = FakeEtcdMember.AppliesThenDies(_leader.ClientUrl);
        var store = Track(await ConnectAsync([fake.Url, .. cluster.ClientUrls]));

        var cas = await store.CompareAndSetAsync(K("lost/plain"), Bytes("mine"), 0, null, Ct);

        // Another client may have written the same bytes: only the compare can tell, and it was spent by the first attempt.
        Assert.False(cas.Succeeded);
        Assert.Equal("mine", Text(cas.Current));
    }

    [Fact]
    public async Task AnswerLostBeforeTheWriteArrived_CompareAndSetIsSentOnceMoreAndSucceeds()
    {
        await using var fake = FakeEtcdMember.Silent();
        var store = Track(await ConnectAsync([fake.Url, .. cluster.ClientUrls], TimeSpan.FromSeconds(1)));

        var cas = await store.CompareAndSetAsync(K("silent/cas"), Bytes("mine"), 0, null, Ct);

        Assert.True(cas.Succeeded);
        Assert.Equal("mine", Text(await Store.GetAsync(K("silent/cas"), Ct)));
    }

    private static async Task<ulong> DeleteRevisionAsync(IKvStore store, string key)
    {
        await store.DeleteAsync(key, Ct);
        return 0; // a delete's revision is not returned; the final state check covers it
    }

    private static async Task<IKvStore> ConnectAsync(IReadOnlyList<Uri> endpoints, TimeSpan? requestTimeout = null) =>
        await EtcdKvStore.ConnectAsync(new EtcdOptions
        {
            Endpoints = endpoints,
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(2),
            Retry = new StoreRetryPolicy(8, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)),
        }, null, CancellationToken.None);
}
