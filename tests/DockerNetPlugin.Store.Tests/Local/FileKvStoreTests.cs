using System.Text;
using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Local;

namespace DockerNetPlugin.Store.Tests.Local;

/// <summary>What only the embedded store promises: one owner, crash safety, durable revision, lease expiry at restart.</summary>
public sealed class FileKvStoreTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string _dir = FileStoreHarness.NewTempDirectory();

    public void Dispose()
    {
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task OpenAsync_DirectoryAlreadyOwned_FailsNamingTheDirectory()
    {
        await using var first = await FileKvStore.OpenAsync(_dir, Ct);

        var e = await Assert.ThrowsAsync<StoreException>(() => FileKvStore.OpenAsync(_dir, Ct));

        Assert.Contains(_dir, e.Message, StringComparison.Ordinal);
        Assert.Contains("locked", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_FolderAndFiles_AreOnlyRootsEvenWhenAnOlderVersionMadeThemWider()
    {
        Directory.CreateDirectory(_dir);
        File.SetUnixFileMode(_dir, (UnixFileMode)0x1ED /* 0755 */);
        await File.WriteAllBytesAsync(Path.Combine(_dir, "wal"), []);
        File.SetUnixFileMode(Path.Combine(_dir, "wal"), (UnixFileMode)0x1A4 /* 0644 */);

        await using (var store = await FileKvStore.OpenAsync(_dir, Ct))
            await store.PutAsync("a/k", "v"u8.ToArray(), null, Ct);

        Assert.Equal(PrivateFiles.DirectoryMode, File.GetUnixFileMode(_dir));
        Assert.Equal(["lock", "snapshot", "wal"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(Directory.GetFiles(_dir), f => Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(f)));
    }

    [Fact]
    public async Task OpenAsync_AfterOwnerClosed_OpensAgain()
    {
        await (await FileKvStore.OpenAsync(_dir, Ct)).DisposeAsync();

        await using var second = await FileKvStore.OpenAsync(_dir, Ct);

        Assert.True((await second.CheckHealthAsync(Ct)).Healthy);
    }

    [Fact]
    public async Task PutAsync_Returned_WriteIsAlreadyInTheFiles()
    {
        await using var store = await FileKvStore.OpenAsync(_dir, Ct);
        var version = await store.PutAsync("a/k", "durable"u8.ToArray(), null, Ct);

        // Copy the files while the owner still runs, as a crash right now would leave them.
        var copy = CopyDirectory(_dir);
        try
        {
            await using var reopened = await FileKvStore.OpenAsync(copy, Ct);
            var entry = await reopened.GetAsync("a/k", Ct);
            Assert.Equal("durable", Encoding.UTF8.GetString(entry!.Value.Span));
            Assert.Equal(version, entry.Version);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task OpenAsync_TornLastRecord_DropsOnlyItAndNeverReusesItsRevision()
    {
        ulong tornVersion;
        await using (var store = await FileKvStore.OpenAsync(_dir, Ct))
        {
            await store.PutAsync("a/kept", "1"u8.ToArray(), null, Ct);
            tornVersion = await store.PutAsync("a/torn", "2"u8.ToArray(), null, Ct);
        }
        var wal = Path.Combine(_dir, "wal");
        var length = new FileInfo(wal).Length;
        using (var f = new FileStream(wal, FileMode.Open))
            f.SetLength(length - 3); // the last record lost its tail mid-write

        await using var reopened = await FileKvStore.OpenAsync(_dir, Ct);

        Assert.NotNull(await reopened.GetAsync("a/kept", Ct));
        Assert.Null(await reopened.GetAsync("a/torn", Ct));
        var next = await reopened.PutAsync("a/new", "3"u8.ToArray(), null, Ct);
        Assert.True(next > tornVersion, $"revision {tornVersion} of the torn write was handed out again as {next}");
    }

    [Fact]
    public async Task OpenAsync_GarbageAfterLastRecord_IsIgnored()
    {
        await using (var store = await FileKvStore.OpenAsync(_dir, Ct))
            await store.PutAsync("a/k", "v"u8.ToArray(), null, Ct);
        await File.AppendAllTextAsync(Path.Combine(_dir, "wal"), "\x10\0\0\0garbage-not-a-record");

        await using var reopened = await FileKvStore.OpenAsync(_dir, Ct);

        Assert.Equal("v", Encoding.UTF8.GetString((await reopened.GetAsync("a/k", Ct))!.Value.Span));
    }

    [Fact]
    public async Task OpenAsync_PreviousProcessHeldLeases_DeletesTheirKeysAndBumpsRevision()
    {
        ulong before;
        await using (var store = await FileKvStore.OpenAsync(_dir, Ct))
        {
            var lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(30), Ct);
            await store.PutAsync("a/leased", "x"u8.ToArray(), lease, Ct);
            await store.PutAsync("a/plain", "y"u8.ToArray(), null, Ct);
            before = (await store.ListAsync("a/", Ct)).Revision;
        }

        await using var reopened = await FileKvStore.OpenAsync(_dir, Ct);

        var after = await reopened.ListAsync("a/", Ct);
        Assert.Equal(["a/plain"], after.Entries.Select(e => e.Key).ToArray());
        Assert.True(after.Revision > before);
    }

    [Fact]
    public async Task OpenAsync_DamagedSnapshot_FailsNamingTheFile()
    {
        await (await FileKvStore.OpenAsync(_dir, Ct)).DisposeAsync();
        await File.WriteAllTextAsync(Path.Combine(_dir, "snapshot"), "not a snapshot");

        var e = await Assert.ThrowsAsync<StoreException>(() => FileKvStore.OpenAsync(_dir, Ct));

        Assert.Contains("snapshot", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutAsync_LogPastThreshold_CompactsAndKeepsEverything()
    {
        var options = new FileKvStoreOptions(_dir) { CompactAfterBytes = 4096 };
        await using (var store = await FileKvStore.OpenAsync(options, null, Ct))
        {
            for (var i = 0; i < 200; i++)
                await store.PutAsync($"a/k{i % 20}", Encoding.UTF8.GetBytes($"value {i}"), null, Ct);
            Assert.True(new FileInfo(Path.Combine(_dir, "wal")).Length < 4096 + 1024, "the log was never compacted");
        }

        await using var reopened = await FileKvStore.OpenAsync(_dir, Ct);

        var list = await reopened.ListAsync("a/", Ct);
        Assert.Equal(20, list.Entries.Count);
        Assert.Contains(list.Entries, e => Encoding.UTF8.GetString(e.Value.Span) == "value 199");
    }

    [Fact]
    public async Task DisposeAsync_WhileWatching_EndsTheWatch()
    {
        var store = await FileKvStore.OpenAsync(_dir, Ct);
        var watch = Task.Run(async () =>
        {
            await foreach (var _ in store.WatchPrefixAsync("a/", 0, Ct))
            {
            }
        });
        await Task.Delay(200);

        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => watch.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static string CopyDirectory(string source)
    {
        var target = FileStoreHarness.NewTempDirectory();
        Directory.CreateDirectory(target);
        foreach (var file in new[] { "snapshot", "wal" })
        {
            var from = Path.Combine(source, file);
            if (File.Exists(from))
                File.Copy(from, Path.Combine(target, file));
        }
        return target;
    }
}
