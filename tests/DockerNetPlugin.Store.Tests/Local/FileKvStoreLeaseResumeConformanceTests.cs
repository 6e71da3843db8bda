using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Local;

/// <summary>The embedded store against the lease-resume suite: the next process closes and reopens the directory.</summary>
public sealed class FileKvStoreLeaseResumeConformanceTests : KvStoreLeaseResumeConformanceTests
{
    private readonly FileStoreHarness _files;

    public FileKvStoreLeaseResumeConformanceTests() => _files = Owned(new FileStoreHarness());

    protected override Task<IKvStore> CreateStoreAsync() => _files.OpenNewAsync();

    protected override Task<IKvStore> NextProcessAsync() => _files.ReopenAsync();
}
