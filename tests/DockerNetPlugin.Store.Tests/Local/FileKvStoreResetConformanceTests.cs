using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Local;

/// <summary>The embedded store against <see cref="KvStoreResetConformanceTests"/>.</summary>
public sealed class FileKvStoreResetConformanceTests : KvStoreResetConformanceTests
{
    private readonly FileStoreHarness _files;

    public FileKvStoreResetConformanceTests() => _files = Owned(new FileStoreHarness());

    protected override Task<IKvStore> CreateStoreAsync() => _files.OpenNewAsync();

    protected override Task<IKvStore> WipeAsync() => _files.WipeAsync();
}
