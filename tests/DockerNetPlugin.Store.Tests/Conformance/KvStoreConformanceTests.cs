using DockerNetPlugin.Store;

namespace DockerNetPlugin.Store.Tests.Conformance;

/// <summary>
/// The behaviour every backend must show (kv.md §4.9: basics 1-4, CAS 5-9, commit 10, watch 11-14
/// and 19-20, key validation 30). Backends subclass it and implement <see cref="KvStoreTestBase.CreateStoreAsync"/>.
/// Tests needing fault injection live in the other <c>KvStore*ConformanceTests</c> suites.
/// </summary>
public abstract class KvStoreConformanceTests : KvStoreTestBase
{
    /// <summary>How many writes the slow-consumer test makes while its watcher does not read; must exceed the backend's watch buffer.</summary>
    protected virtual int SlowConsumerWrites => 600;

    /// <summary>Value size of those writes: with <see cref="SlowConsumerWrites"/>, more than loopback sockets buffer, so a server-side backlog builds.</summary>
    protected virtual int SlowConsumerValueBytes => 4096;

    /// <summary>Whether a watcher that stops reading is handed a <see cref="KvResync"/> (exact-history backends).</summary>
    protected virtual bool SlowConsumerGetsResync => true;

    /// <summary>
    /// Whether the watch keeps exact history (etcd, embedded; not Consul): a watch from a recent revision resumes with exactly the
    /// later events, a slow watcher gets every write in order unless it is told to resync, and a key put and deleted between
    /// two answers of a state-based watch is still seen.
    /// </summary>
    protected virtual bool ResumesExactly => false;

    /// <summary>Increments each of the 16 tasks makes in the concurrent-CAS test.</summary>
    protected virtual int IncrementsPerTask => 50;

    /// <summary>Runs after the slow-consumer writes, before the paused watcher reads again: a backend can check there that it really fell behind.</summary>
    protected virtual Task WhileConsumerPausedAsync() => Task.CompletedTask;

    // ---- basics (1-4) ----

    [Fact]
    public async Task GetAsync_MissingKey_ReturnsNull()
    {
        Assert.Null(await Store.GetAsync(K("missing"), Ct));
    }

    [Fact]
    public async Task ListAsync_EmptyPrefix_ReturnsEmptySnapshotWithUsableRevision()
    {
        var snapshot = await Store.ListAsync(K("empty/"), Ct);

        Assert.Empty(snapshot.Entries);
        Assert.True(snapshot.Revision > 0, "an empty list still carries a revision to watch from");
    }

    [Fact]
    public async Task PutAsync_ArbitraryBytes_RoundTripExactly()
    {
        var binary = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var large = new byte[KvLimits.MaxValueBytes];
        new Random(7).NextBytes(large);

        await Store.PutAsync(K("empty"), ReadOnlyMemory<byte>.Empty, null, Ct);
        await Store.PutAsync(K("binary"), binary, null, Ct);
        await Store.PutAsync(K("large"), large, null, Ct);

        Assert.Equal(0, (await Store.GetAsync(K("empty"), Ct))!.Value.Length);
        Assert.Equal(binary, (await Store.GetAsync(K("binary"), Ct))!.Value.ToArray());
        Assert.Equal(large, (await Store.GetAsync(K("large"), Ct))!.Value.ToArray());
    }

    [Fact]
    public async Task PutAsync_ValueAboveLimit_ThrowsTooLargeAndWritesNothing()
    {
        await Assert.ThrowsAsync<StoreTooLargeException>(() => Store.PutAsync(K("huge"), new byte[KvLimits.MaxValueBytes + 1], null, Ct));

        Assert.Null(await Store.GetAsync(K("huge"), Ct));
    }

    [Fact]
    public async Task PutAsync_SameKeyRepeatedly_VersionIsNonZeroAndIncreases()
    {
        var v1 = await Store.PutAsync(K("k"), Bytes("1"), null, Ct);
        var v2 = await Store.PutAsync(K("k"), Bytes("2"), null, Ct);
        var entry = await Store.GetAsync(K("k"), Ct);

        Assert.True(v1 > 0);
        Assert.True(v2 > v1);
        Assert.Equal(v2, entry!.Version);
        Assert.Equal(v1, entry.CreateVersion);
        Assert.Equal("2", Text(entry));
    }

    [Fact]
    public async Task PutAsync_AfterDeleteAndRecreate_VersionIsNewAndHigher()
    {
        var v1 = await Store.PutAsync(K("k"), Bytes("a"), null, Ct);
        Assert.True(await Store.DeleteAsync(K("k"), Ct));
        var v2 = await Store.PutAsync(K("k"), Bytes("a"), null, Ct);

        Assert.True(v2 > v1, $"re-created key got version {v2}, not above the old {v1} (ABA)");
        Assert.Equal(v2, (await Store.GetAsync(K("k"), Ct))!.CreateVersion);
    }

    [Fact]
    public async Task ListAsync_Prefix_ReturnsOnlyKeysUnderItSorted()
    {
        foreach (var name in new[] { "a", "a0/x", "ab/x", "a/z", "a/b", "a/m/n" })
            await Store.PutAsync(K(name), Bytes(name), null, Ct);

        var snapshot = await Store.ListAsync(K("a/"), Ct);

        Assert.Equal([K("a/b"), K("a/m/n"), K("a/z")], snapshot.Entries.Select(e => e.Key).ToArray());
        Assert.Equal("a/m/n", Text(snapshot.Entries[1]));
    }

    [Fact]
    public async Task DeleteAsync_ExistingAndMissing_ReportsWhetherItExisted()
    {
        await Store.PutAsync(K("k"), Bytes("v"), null, Ct);

        Assert.True(await Store.DeleteAsync(K("k"), Ct));
        Assert.Null(await Store.GetAsync(K("k"), Ct));
        await Store.DeleteAsync(K("k"), Ct); // idempotent; the answer is best effort on some backends
        Assert.Null(await Store.GetAsync(K("k"), Ct));
    }

    // ---- CAS (5-9) ----

    [Fact]
    public async Task CompareAndSetAsync_CreateOnlyTwice_SecondFailsAndReturnsCurrent()
    {
        var first = await Store.CompareAndSetAsync(K("k"), Bytes("first"), 0, null, Ct);
        var second = await Store.CompareAndSetAsync(K("k"), Bytes("second"), 0, null, Ct);

        Assert.True(first.Succeeded);
        Assert.False(second.Succeeded);
        Assert.Equal(first.NewVersion, second.Current!.Version);
        Assert.Equal("first", Text(second.Current));
        Assert.Equal("first", Text(await Store.GetAsync(K("k"), Ct)));
    }

    [Fact]
    public async Task CompareAndSetAsync_StaleVersion_FailsAndLeavesValue()
    {
        var v1 = await Store.PutAsync(K("k"), Bytes("1"), null, Ct);
        var v2 = await Store.PutAsync(K("k"), Bytes("2"), null, Ct);

        var result = await Store.CompareAndSetAsync(K("k"), Bytes("stale"), v1, null, Ct);

        Assert.False(result.Succeeded);
        Assert.Equal(v2, result.Current!.Version);
        Assert.Equal("2", Text(await Store.GetAsync(K("k"), Ct)));
    }

    [Fact]
    public async Task CompareAndSetAsync_ReturnedVersion_IsExactForTheNextCompare()
    {
        var v = await Store.PutAsync(K("k"), Bytes("0"), null, Ct);
        for (var i = 1; i <= 5; i++)
        {
            var result = await Store.CompareAndSetAsync(K("k"), Bytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), v, null, Ct);
            Assert.True(result.Succeeded, $"CAS {i} with the version returned by the previous write failed");
            Assert.True(result.NewVersion > v);
            v = result.NewVersion;
        }
        Assert.Equal(v, (await Store.GetAsync(K("k"), Ct))!.Version);
    }

    [Fact]
    public async Task CompareAndSetAsync_NonZeroVersionOnMissingKey_Fails()
    {
        var result = await Store.CompareAndSetAsync(K("k"), Bytes("v"), 12345, null, Ct);

        Assert.False(result.Succeeded);
        Assert.Null(result.Current);
        Assert.Null(await Store.GetAsync(K("k"), Ct));
    }

    [Fact]
    public async Task CompareAndSetAsync_CreateOnlyAfterDelete_Succeeds()
    {
        await Store.PutAsync(K("k"), Bytes("old"), null, Ct);
        await Store.DeleteAsync(K("k"), Ct);

        var result = await Store.CompareAndSetAsync(K("k"), Bytes("new"), 0, null, Ct);

        Assert.True(result.Succeeded);
        Assert.Equal("new", Text(await Store.GetAsync(K("k"), Ct)));
    }

    [Fact]
    public async Task CompareAndDeleteAsync_StaleThenCurrentVersion_OnlyCurrentDeletes()
    {
        var v1 = await Store.PutAsync(K("k"), Bytes("1"), null, Ct);
        var v2 = await Store.PutAsync(K("k"), Bytes("2"), null, Ct);

        Assert.False(await Store.CompareAndDeleteAsync(K("k"), v1, Ct));
        Assert.Equal("2", Text(await Store.GetAsync(K("k"), Ct)));
        Assert.True(await Store.CompareAndDeleteAsync(K("k"), v2, Ct));
        Assert.Null(await Store.GetAsync(K("k"), Ct));
    }

    [Fact]
    public async Task CompareAndDeleteAsync_VersionZero_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.CompareAndDeleteAsync(K("k"), 0, Ct));
    }

    [Fact]
    public async Task CompareAndSetAsync_SixteenConcurrentIncrementers_LoseNoUpdate()
    {
        const int tasks = 16;
        var increments = IncrementsPerTask;
        var conflicts = 0;
        await Store.PutAsync(K("counter"), Bytes("0"), null, Ct);

        await Task.WhenAll(Enumerable.Range(0, tasks).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < increments; i++)
            {
                var current = await Store.GetAsync(K("counter"), Ct);
                for (var attempt = 0; ; attempt++)
                {
                    Assert.True(attempt < 10_000, "an increment never got through");
                    var next = int.Parse(Text(current), System.Globalization.CultureInfo.InvariantCulture) + 1;
                    await Task.Yield(); // a gap between read and write, as real callers have, so writers interleave
                    var result = await Store.CompareAndSetAsync(K("counter"), Bytes(next.ToString(System.Globalization.CultureInfo.InvariantCulture)), current!.Version, null, Ct);
                    if (result.Succeeded)
                        break;
                    Interlocked.Increment(ref conflicts);
                    current = result.Current;
                }
            }
        })));

        Assert.Equal((tasks * increments).ToString(System.Globalization.CultureInfo.InvariantCulture), Text(await Store.GetAsync(K("counter"), Ct)));
        Assert.True(conflicts > 0, "16 concurrent writers never conflicted: the test did not exercise CAS");
    }

    [Fact]
    public async Task CompareAndSetAsync_ConcurrentBitmapAllocators_NeverAllocateTwice()
    {
        const int tasks = 8, each = 8;
        var allocated = new System.Collections.Concurrent.ConcurrentBag<int>();
        await Store.PutAsync(K("bitmap"), new byte[tasks * each / 8], null, Ct);

        await Task.WhenAll(Enumerable.Range(0, tasks).Select(_ => Task.Run(async () =>
        {
            for (var n = 0; n < each; n++)
            {
                var current = await Store.GetAsync(K("bitmap"), Ct);
                while (true)
                {
                    var bits = current!.Value.ToArray();
                    var bit = Enumerable.Range(0, bits.Length * 8).First(b => (bits[b / 8] & (1 << (b % 8))) == 0);
                    bits[bit / 8] |= (byte)(1 << (bit % 8));
                    var result = await Store.CompareAndSetAsync(K("bitmap"), bits, current.Version, null, Ct);
                    if (result.Succeeded)
                    {
                        allocated.Add(bit);
                        break;
                    }
                    current = result.Current;
                }
            }
        })));

        Assert.Equal(tasks * each, allocated.Distinct().Count());
        Assert.All((await Store.GetAsync(K("bitmap"), Ct))!.Value.ToArray(), b => Assert.Equal(0xFF, b));
    }

    // ---- commit (10) ----

    [Fact]
    public async Task CommitAsync_AllComparesHold_AppliesEverythingAtOnce()
    {
        var va = await Store.PutAsync(K("a"), Bytes("a1"), null, Ct);
        await Store.PutAsync(K("gone"), Bytes("x"), null, Ct);

        var ok = await Store.CommitAsync(
        [
            new KvSetOp(K("a"), Bytes("a2"), va),
            new KvSetOp(K("b"), Bytes("b1"), 0),
            new KvSetOp(K("c"), Bytes("c1"), null),
            new KvDeleteOp(K("gone"), null),
            new KvCheckOp(K("never"), 0),
        ], Ct);

        Assert.True(ok);
        var a = await Store.GetAsync(K("a"), Ct);
        var b = await Store.GetAsync(K("b"), Ct);
        Assert.Equal("a2", Text(a));
        Assert.Equal("b1", Text(b));
        Assert.Equal("c1", Text(await Store.GetAsync(K("c"), Ct)));
        Assert.Null(await Store.GetAsync(K("gone"), Ct));
        Assert.Equal(a!.Version, b!.Version); // one commit, one revision
    }

    [Fact]
    public async Task CommitAsync_OneCompareFails_ChangesNothing()
    {
        var va = await Store.PutAsync(K("a"), Bytes("a1"), null, Ct);
        await Store.PutAsync(K("a"), Bytes("a2"), null, Ct);
        await Store.PutAsync(K("d"), Bytes("d1"), null, Ct);

        var ok = await Store.CommitAsync(
        [
            new KvSetOp(K("b"), Bytes("b1"), 0),
            new KvDeleteOp(K("d"), null),
            new KvSetOp(K("a"), Bytes("a3"), va),
        ], Ct);

        Assert.False(ok);
        Assert.Equal("a2", Text(await Store.GetAsync(K("a"), Ct)));
        Assert.Null(await Store.GetAsync(K("b"), Ct));
        Assert.Equal("d1", Text(await Store.GetAsync(K("d"), Ct)));
    }

    [Fact]
    public async Task CommitAsync_AtOperationLimit_Succeeds()
    {
        var ops = Enumerable.Range(0, KvLimits.MaxTransactionOps).Select(i => (KvOp)new KvSetOp(K($"op{i}"), Bytes("v"), 0)).ToList();

        Assert.True(await Store.CommitAsync(ops, Ct));

        Assert.Equal(KvLimits.MaxTransactionOps, (await Store.ListAsync(Prefix, Ct)).Entries.Count);
    }

    [Fact]
    public async Task CommitAsync_AboveOperationLimit_IsRefusedClearly()
    {
        var ops = Enumerable.Range(0, KvLimits.MaxTransactionOps + 1).Select(i => (KvOp)new KvSetOp(K($"op{i}"), Bytes("v"), 0)).ToList();

        var e = await Assert.ThrowsAsync<StoreTooLargeException>(() => Store.CommitAsync(ops, Ct));

        Assert.Contains(KvLimits.MaxTransactionOps.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        Assert.Empty((await Store.ListAsync(Prefix, Ct)).Entries);
    }

    [Fact]
    public async Task CommitAsync_SameKeyTwice_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CommitAsync([new KvSetOp(K("a"), Bytes("1"), null), new KvDeleteOp(K("a"), null)], Ct));
    }

    // ---- watch (11-14, 19-20) ----

    [Fact]
    public async Task WatchPrefixAsync_FromListRevision_SeesPutUpdateDeleteUnderPrefixOnly()
    {
        var snapshot = await Store.ListAsync(K("w/"), Ct);
        await using var probe = Watch(K("w/"), snapshot.Revision);
        await Task.Delay(200); // let the watch establish; correctness does not depend on it

        await Store.PutAsync(K("outside"), Bytes("x"), null, Ct);
        await Store.PutAsync(K("w0/x"), Bytes("x"), null, Ct);
        await Store.PutAsync(K("w/a"), Bytes("1"), null, Ct);
        await Store.PutAsync(K("w/a"), Bytes("2"), null, Ct);
        await Store.DeleteAsync(K("w/a"), Ct);
        await Store.PutAsync(K("w/end"), Bytes("e"), null, Ct);

        await probe.UntilAsync(s => s.ContainsKey(K("w/end")), "the last put");
        Assert.DoesNotContain(probe.Seen, e => e is KvPut p && !p.Entry.Key.StartsWith(K("w/"), StringComparison.Ordinal));
        Assert.DoesNotContain(probe.Seen, e => e is KvDeleted d && !d.Key.StartsWith(K("w/"), StringComparison.Ordinal));
        Assert.False(probe.State.ContainsKey(K("w/a")));
        // With exact history every change is an event. A state-based watch (Consul's blocking queries) may answer once
        // after all six writes and never see w/a at all; what it must do is report the delete of a key it did report.
        if (ResumesExactly || probe.Seen.Any(e => e is KvPut p && p.Entry.Key == K("w/a")))
            Assert.Contains(probe.Seen, e => e is KvDeleted d && d.Key == K("w/a"));
    }

    [Fact]
    public async Task WatchPrefixAsync_WriteBetweenListAndWatch_IsStillDelivered()
    {
        var snapshot = await Store.ListAsync(K("w/"), Ct);
        await Store.PutAsync(K("w/gap"), Bytes("written before the watch started"), null, Ct);

        await using var probe = Watch(K("w/"), snapshot.Revision);

        await probe.UntilAsync(s => s.ContainsKey(K("w/gap")), "the write made between list and watch");
    }

    [Fact]
    public async Task WatchPrefixAsync_FromRecentRevision_DeliversEverythingAfterIt()
    {
        await Store.PutAsync(K("w/a"), Bytes("1"), null, Ct);
        var cursor = (await Store.ListAsync(K("w/"), Ct)).Revision;
        await Store.PutAsync(K("w/a"), Bytes("2"), null, Ct);
        await Store.PutAsync(K("w/b"), Bytes("1"), null, Ct);

        await using var probe = Watch(K("w/"), cursor);

        await probe.UntilAsync(s => s.ContainsKey(K("w/b")) && s.TryGetValue(K("w/a"), out var a) && Text(a) == "2", "the writes after the cursor");
        if (ResumesExactly)
        {
            Assert.DoesNotContain(probe.Seen, e => e is KvResync);
            Assert.All(probe.Seen, e => Assert.True(e.Revision > cursor, $"event at {e.Revision} is not after the cursor {cursor}"));
        }
    }

    [Fact]
    public async Task WatchPrefixAsync_FromZero_StartsWithResyncOfCurrentState()
    {
        await Store.PutAsync(K("w/a"), Bytes("1"), null, Ct);

        await using var probe = Watch(K("w/"), 0);

        var first = await probe.NextAsync("the initial resync");
        var resync = Assert.IsType<KvResync>(first);
        Assert.Equal([K("w/a")], resync.Snapshot.Entries.Select(e => e.Key).ToArray());
    }

    [Fact]
    public async Task WatchPrefixAsync_ManyConcurrentWrites_PerKeyVersionsIncreaseAndEndStateEqualsList()
    {
        var snapshot = await Store.ListAsync(K("w/"), Ct);
        await using var probe = Watch(K("w/"), snapshot.Revision);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(k => Task.Run(async () =>
        {
            for (var i = 0; i < 15; i++)
                await Store.PutAsync(K($"w/k{k}"), Bytes($"{i}"), null, Ct);
            if (k % 2 == 0)
                await Store.DeleteAsync(K($"w/k{k}"), Ct);
        })));
        await Store.PutAsync(K("w/zz-done"), Bytes("done"), null, Ct);
        var final = await Store.ListAsync(K("w/"), Ct);

        await probe.UntilAsync(s => s.ContainsKey(K("w/zz-done")), "the marker write");
        var lastVersion = new Dictionary<string, ulong>();
        foreach (var e in probe.Seen.OfType<KvPut>())
        {
            Assert.True(e.Entry.Version > lastVersion.GetValueOrDefault(e.Entry.Key), $"versions of {e.Entry.Key} went backwards: {probe.Describe()}");
            lastVersion[e.Entry.Key] = e.Entry.Version;
        }
        Assert.Equal(final.Entries.Select(e => (e.Key, e.Version)), probe.State.Values.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, e.Version)));
    }

    [Fact]
    public async Task WatchPrefixAsync_DeleteThenRecreate_DeleteIsObserved()
    {
        var v1 = await Store.PutAsync(K("w/a"), Bytes("1"), null, Ct);
        var snapshot = await Store.ListAsync(K("w/"), Ct);
        await using var probe = Watch(K("w/"), snapshot.Revision);

        await Store.DeleteAsync(K("w/a"), Ct);
        await Store.PutAsync(K("w/a"), Bytes("2"), null, Ct);

        await probe.UntilAsync(s => s.TryGetValue(K("w/a"), out var e) && Text(e) == "2", "the re-created key");
        var sawDelete = probe.Seen.Any(e => e is KvDeleted d && d.Key == K("w/a"));
        var sawNewIncarnation = probe.State[K("w/a")].CreateVersion > v1;
        Assert.True(sawDelete || sawNewIncarnation, $"the delete was neither reported nor visible as a new CreateVersion: {probe.Describe()}");
    }

    [Fact]
    public async Task WatchPrefixAsync_Cancelled_EndsPromptly()
    {
        using var cts = new CancellationTokenSource();
        var enumeration = Task.Run(async () =>
        {
            try
            {
                await foreach (var _ in Store.WatchPrefixAsync(K("w/"), 0, cts.Token))
                {
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        await Task.Delay(300);

        await cts.CancelAsync();

        var finished = await Task.WhenAny(enumeration, Task.Delay(Patience));
        Assert.Same(enumeration, finished);
        await enumeration;
    }

    [Fact]
    public async Task WatchPrefixAsync_ConsumerPausedDuringManyWrites_WritersNotBlockedAndEveryWriteArrivesInOrderOrAsResync()
    {
        var history = new WriteHistory(K("h/"), SlowConsumerWrites, SlowConsumerValueBytes);
        var start = await Store.ListAsync(K("h/"), Ct);
        using var cts = new CancellationTokenSource();
        var watch = Store.WatchPrefixAsync(K("h/"), start.Revision, cts.Token).GetAsyncEnumerator(cts.Token);
        var pending = watch.MoveNextAsync().AsTask(); // subscribes; then nobody reads while the writes happen
        try
        {
            var writes = history.ApplyAsync(Store, Ct);
            Assert.Same(writes, await Task.WhenAny(writes, Task.Delay(Patience * 4))); // a watcher that does not read must not block writers
            await writes;
            await WhileConsumerPausedAsync();

            var check = new WatchHistoryCheck(history, exact: ResumesExactly);
            while (!check.CaughtUp)
            {
                Assert.True(await pending.WaitAsync(Patience), $"the watch ended after accounting for {check.Position} of {history.Writes.Count} writes");
                check.Apply(watch.Current);
                if (!check.CaughtUp)
                    pending = watch.MoveNextAsync().AsTask();
            }
            if (SlowConsumerGetsResync)
                Assert.True(check.Resyncs > 0, "a consumer that fell behind was buffered without bound instead of being resynced");
        }
        finally
        {
            await cts.CancelAsync();
            try
            {
                await pending.WaitAsync(Patience);
            }
            catch (OperationCanceledException)
            {
            }
            await watch.DisposeAsync();
        }
    }

    // ---- key validation (30) ----

    [Theory]
    [InlineData("Upper/case")]
    [InlineData("has space")]
    [InlineData("colon:port")]
    [InlineData("dot.json")]
    [InlineData("double//slash")]
    [InlineData("/leading")]
    [InlineData("")]
    public async Task AllOperations_KeyOutsideAlphabet_RefusedBeforeAnyRequest(string key)
    {
        await Assert.ThrowsAsync<StoreInvalidKeyException>(() => Store.GetAsync(key, Ct));
        await Assert.ThrowsAsync<StoreInvalidKeyException>(() => Store.PutAsync(key, Bytes("v"), null, Ct));
        await Assert.ThrowsAsync<StoreInvalidKeyException>(() => Store.CompareAndSetAsync(key, Bytes("v"), 0, null, Ct));
        await Assert.ThrowsAsync<StoreInvalidKeyException>(() => Store.DeleteAsync(key, Ct));
        await Assert.ThrowsAsync<StoreInvalidKeyException>(() => Store.ListAsync(key + "/", Ct));
    }

    [Fact]
    public async Task ListAsync_PrefixWithoutTrailingSlash_IsRefused()
    {
        await Assert.ThrowsAsync<StoreInvalidKeyException>(() => Store.ListAsync(K("a"), Ct));
    }

    [Fact]
    public async Task CheckHealthAsync_ReachableStore_ReportsHealthy()
    {
        var health = await Store.CheckHealthAsync(Ct);

        Assert.True(health.Healthy, health.Detail);
        Assert.False(string.IsNullOrWhiteSpace(Store.Description));
    }
}
