using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Local;

/// <summary>The embedded store against <see cref="KvStoreRestartConformanceTests"/>.</summary>
public sealed class FileKvStoreRestartConformanceTests : KvStoreRestartConformanceTests
{
    private readonly FileStoreHarness _files;

    public FileKvStoreRestartConformanceTests() => _files = Owned(new FileStoreHarness());

    protected override Task<IKvStore> CreateStoreAsync() => _files.OpenNewAsync();

    protected override Task<IKvStore> RestartAsync() => _files.ReopenAsync();
}
