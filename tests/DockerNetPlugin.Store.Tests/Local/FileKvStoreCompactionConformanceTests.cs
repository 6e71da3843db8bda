using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Local;

/// <summary>The embedded store against <see cref="KvStoreCompactionConformanceTests"/>.</summary>
public sealed class FileKvStoreCompactionConformanceTests : KvStoreCompactionConformanceTests
{
    private readonly FileStoreHarness _files;

    public FileKvStoreCompactionConformanceTests() => _files = Owned(new FileStoreHarness());

    protected override Task<IKvStore> CreateStoreAsync() => _files.OpenNewAsync();

    protected override Task CompactAsync()
    {
        _files.Current!.DropWatchHistory();
        return Task.CompletedTask;
    }
}
