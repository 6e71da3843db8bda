using System.Text;
using DockerNetPlugin.Store.Tests.Conformance;
using DockerNetPlugin.Emulators.Consul;

namespace DockerNetPlugin.Store.Tests.Consul;

/// <summary>Consul-specific behaviour (kv.md §4.9 items 17, 18, 24, 26, 27 and the CAS-conflict read), on the emulator.</summary>
public sealed class ConsulKvStoreTests : IAsyncLifetime
{
    private const string Prefix = "dnp/v1/test/";
    private const string Secret = "9f1c2e-very-secret-token";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private ConsulEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await ConsulTestServer.StartEmulatorAsync();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task WatchPrefixAsync_IndexResetLower_ResyncsAndSeesLaterWritesWithoutSpinning()
    {
        await using var store = await ConsulTestServer.OpenAsync(_emulator.Address);
        for (var i = 0; i < 20; i++)
            await store.PutAsync(Prefix + "noise", Bytes($"{i}"), null, default);
        await using var probe = WatchProbe.Start(store, Prefix, 0, Patience);
        await probe.UntilAsync(s => s.ContainsKey(Prefix + "noise"), "the initial resync");

        _emulator.ResetIndex(3);
        await probe.UntilEventAsync<KvResync>(_ => true, "a resync after the index went backwards");
        await store.PutAsync(Prefix + "after-reset", Bytes("v"), null, default);
        await probe.UntilAsync(s => s.ContainsKey(Prefix + "after-reset"), "the write made after the reset");

        var before = CountListRequests();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var during = CountListRequests() - before;
        // Idle: one blocking query is outstanding. A spinning loop would make hundreds.
        Assert.True(during <= 3, $"{during} list requests in 1 s while nothing changed");
    }

    [Fact]
    public async Task WatchPrefixAsync_ServerAnswersIndexZero_RateLimitedNotBusyLooping()
    {
        _emulator.AnswerIndexZero = true;
        await using var store = await ConsulTestServer.OpenAsync(_emulator.Address);
        await using var probe = WatchProbe.Start(store, Prefix, 0, Patience);
        await probe.NextAsync("the initial resync");
        _emulator.Put(Prefix + "k", "v");
        await probe.UntilAsync(s => s.ContainsKey(Prefix + "k"), "a write seen by polling");

        var before = CountListRequests();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var during = CountListRequests() - before;
        // Refill is one query per 100 ms in these tests (burst 2): about 12 at most; a busy loop would be thousands.
        Assert.True(during <= 25, $"{during} list requests in 1 s against a server that never blocks");
        Assert.DoesNotContain(probe.Seen.Skip(1), e => e is KvResync);
    }

    [Fact]
    public async Task Requests_WithToken_CarryHeaderAndNoMessageContainsIt()
    {
        _emulator.RequiredToken = Secret;
        await using var store = await ConsulTestServer.OpenAsync(_emulator.Address, Secret);
        await store.PutAsync(Prefix + "k", Bytes("v"), null, default);
        Assert.Equal("v", Encoding.UTF8.GetString((await store.GetAsync(Prefix + "k", default))!.Value.Span));
        Assert.All(_emulator.Requests.Where(r => r.Path != "/v1/status/leader"), r => Assert.Equal(Secret, r.Token));
        Assert.DoesNotContain(Secret, store.Description, StringComparison.Ordinal);

        await using var down = await ConsulTestServer.OpenAsync(ConsulTestServer.UnusedAddress(), Secret);
        var unavailable = await Assert.ThrowsAsync<StoreUnavailableException>(() => down.GetAsync(Prefix + "k", default));
        Assert.DoesNotContain(Secret, unavailable.ToString(), StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", unavailable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_WrongOrMissingToken_ThrowsStoreAuthExceptionWithoutToken()
    {
        _emulator.RequiredToken = Secret;
        await using var wrong = await ConsulTestServer.OpenAsync(_emulator.Address, "wrong-token-1234");
        await using var none = await ConsulTestServer.OpenAsync(_emulator.Address);

        var denied = await Assert.ThrowsAsync<StoreAuthException>(() => wrong.GetAsync(Prefix + "k", default));
        await Assert.ThrowsAsync<StoreAuthException>(() => none.PutAsync(Prefix + "k", Bytes("v"), null, default));
        Assert.DoesNotContain("wrong-token-1234", denied.ToString(), StringComparison.Ordinal);
        Assert.Contains("403", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GrantLeaseAsync_RenewalsFailUntilSessionExpires_KeyDeletedAndLostFires()
    {
        await using var store = await ConsulTestServer.OpenAsync(_emulator.Address);
        var lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(2), default);
        await store.PutAsync(Prefix + "node", Bytes("me"), lease, default);
        Assert.Equal(lease.Id, _emulator.Peek(Prefix + "node")!.Session);

        // Every renewal now fails as during a leader election: the client keeps trying, the server expires the session.
        _emulator.FailNext(10_000, EmulatorFault.NoLeader, r => r.Path.StartsWith("/v1/session/renew/", StringComparison.Ordinal));
        var lost = new TaskCompletionSource();
        using var registration = lease.Lost.Register(() => lost.TrySetResult());

        Assert.Same(lost.Task, await Task.WhenAny(lost.Task, Task.Delay(lease.GrantedTtl * 2 + Patience)));
        // The client gives up when the session may be gone; the server deletes the key at about the same time.
        for (var deadline = DateTime.UtcNow + Patience; _emulator.Peek(Prefix + "node") is not null && DateTime.UtcNow < deadline;)
            await Task.Delay(50);
        Assert.Null(_emulator.Peek(Prefix + "node"));
        await Assert.ThrowsAsync<StoreLeaseLostException>(() => store.PutAsync(Prefix + "node", Bytes("me"), lease, default));
        await lease.DisposeAsync();
    }

    [Fact]
    public async Task CompareAndSetAsync_StaleVersion_ReturnsCurrentEntry()
    {
        await using var store = await ConsulTestServer.OpenAsync(_emulator.Address);
        var first = await store.PutAsync(Prefix + "k", Bytes("one"), null, default);
        var second = _emulator.Put(Prefix + "k", "two");

        var result = await store.CompareAndSetAsync(Prefix + "k", Bytes("three"), first, null, default);

        Assert.False(result.Succeeded);
        Assert.Equal(second, result.Current!.Version);
        Assert.Equal("two", Encoding.UTF8.GetString(result.Current.Value.Span));
        Assert.Equal("two", Encoding.UTF8.GetString(_emulator.Peek(Prefix + "k")!.Value));
    }

    [Fact]
    public async Task GetAsync_TransientNoLeader_RetriedUntilItWorks()
    {
        await using var store = await ConsulTestServer.OpenAsync(_emulator.Address);
        _emulator.Put(Prefix + "k", "v");
        _emulator.FailNext(2, EmulatorFault.NoLeader);
        _emulator.FailNext(1, EmulatorFault.DropConnection);

        var entry = await store.GetAsync(Prefix + "k", default);

        Assert.Equal("v", Encoding.UTF8.GetString(entry!.Value.Span));
    }

    [Fact]
    public async Task CheckHealthAsync_NoLeader_ReportsUnhealthy()
    {
        await using var store = await ConsulTestServer.OpenAsync(_emulator.Address);
        _emulator.HasLeader = false;

        var health = await store.CheckHealthAsync(default);

        Assert.False(health.Healthy);
        Assert.Contains("leader", health.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutAsync_WithLease_WritesThroughTxnLockAndReturnsExactVersion()
    {
        await using var store = await ConsulTestServer.OpenAsync(_emulator.Address);
        await using var lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(2), default);

        var version = await store.PutAsync(Prefix + "k", Bytes("v"), lease, default);

        var stored = _emulator.Peek(Prefix + "k")!;
        Assert.Equal(stored.ModifyIndex, version);
        Assert.Equal(1UL, stored.LockIndex);
        Assert.Contains(_emulator.Requests, r => r.Path == "/v1/txn");
    }

    private int CountListRequests() =>
        _emulator.Requests.Count(r => r.Method == "GET" && r.Path == "/v1/kv/" + Prefix);

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);
}
