using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Local;
using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Local;

/// <summary>The embedded store against <see cref="KvStoreLeaseConformanceTests"/>.</summary>
public sealed class FileKvStoreLeaseConformanceTests : KvStoreLeaseConformanceTests
{
    private readonly FileStoreHarness _files;

    public FileKvStoreLeaseConformanceTests() => _files = Owned(new FileStoreHarness());

    protected override Task<IKvStore> CreateStoreAsync() => _files.OpenNewAsync();

    protected override Task StopKeepAliveAsync(ILease lease)
    {
        ((FileLease)lease).StopKeepAlive();
        return Task.CompletedTask;
    }

    protected override Task RevokeBehindOwnersBackAsync(ILease lease) => _files.Current!.ExpireLeaseNowAsync(lease);
}
