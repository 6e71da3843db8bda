using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Local;

/// <summary>The embedded store against the core conformance suite (it has no server, so no reconnect or unreachable suites).</summary>
public sealed class FileKvStoreConformanceTests : KvStoreConformanceTests
{
    private readonly FileStoreHarness _files;

    public FileKvStoreConformanceTests() => _files = Owned(new FileStoreHarness());

    protected override bool ResumesExactly => true;

    protected override Task<IKvStore> CreateStoreAsync() => _files.OpenNewAsync();
}
