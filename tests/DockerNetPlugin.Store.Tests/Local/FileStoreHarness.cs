using System.Security.Cryptography;
using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Local;

namespace DockerNetPlugin.Store.Tests.Local;

/// <summary>Temp directories for embedded stores, one per test, removed at the end; plus restart and wipe.</summary>
internal sealed class FileStoreHarness : IDisposable
{
    private readonly List<string> _dirs = [];

    public string Directory { get; private set; } = "";
    public FileKvStore? Current { get; private set; }

    /// <summary>Per-watcher buffer; small so the slow-consumer test overflows it quickly.</summary>
    public int WatchBuffer { get; init; } = 32;

    public static string NewTempDirectory() =>
        Path.Combine(Path.GetTempPath(), $"dnpt-store-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");

    public async Task<IKvStore> OpenNewAsync()
    {
        Directory = NewTempDirectory();
        _dirs.Add(Directory);
        return await OpenCurrentAsync();
    }

    /// <summary>Closes the store and opens the same directory again, as a plugin restart does.</summary>
    public async Task<IKvStore> ReopenAsync()
    {
        await Current!.DisposeAsync();
        return await OpenCurrentAsync();
    }

    /// <summary>Closes the store, deletes its directory, and opens a fresh one at the same path.</summary>
    public async Task<IKvStore> WipeAsync()
    {
        await Current!.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
        return await OpenCurrentAsync();
    }

    public void Dispose()
    {
        foreach (var dir in _dirs)
        {
            if (System.IO.Directory.Exists(dir))
                System.IO.Directory.Delete(dir, recursive: true);
        }
    }

    private async Task<IKvStore> OpenCurrentAsync()
    {
        Current = await FileKvStore.OpenAsync(new FileKvStoreOptions(Directory) { WatchBuffer = WatchBuffer }, null, CancellationToken.None);
        return Current;
    }
}
