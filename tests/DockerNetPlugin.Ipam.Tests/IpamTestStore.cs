using System.Security.Cryptography;
using DockerNetPlugin.Ipam.Tests.Fakes;
using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Local;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerNetPlugin.Ipam.Tests;

/// <summary>
/// A real embedded store in a throwaway directory (removed on dispose, also after a failed test),
/// plus IPAM services that share it the way several hosts share one cluster store.
/// </summary>
internal sealed class IpamTestStore : IAsyncDisposable
{
    private IpamTestStore(string directory, FileKvStore store)
    {
        Directory = directory;
        Store = store;
        Faulty = new FaultyKvStore(store);
    }

    public string Directory { get; }

    public FileKvStore Store { get; }

    /// <summary>The same store behind a fault injector.</summary>
    public FaultyKvStore Faulty { get; }

    public static async Task<IpamTestStore> CreateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "dnpt" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3)) + "-ipam");
        System.IO.Directory.CreateDirectory(directory);
        try
        {
            return new IpamTestStore(directory, await FileKvStore.OpenAsync(directory, CancellationToken.None));
        }
        catch
        {
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>One host's IPAM service on the shared store.</summary>
    public IpamService Host(string hostId, IpamOptions? options = null, IKvStore? store = null) =>
        new(store ?? Store, (options ?? new IpamOptions()) with { HostId = hostId }, NullLogger<IpamService>.Instance);

    /// <summary>Every IPAM key currently in the store.</summary>
    public async Task<IReadOnlyList<string>> IpamKeysAsync() =>
        (await Store.ListAsync(KeyLayout.Prefix("ipam"), CancellationToken.None)).Entries.Select(e => e.Key).ToList();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Store.DisposeAsync();
        }
        finally
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
