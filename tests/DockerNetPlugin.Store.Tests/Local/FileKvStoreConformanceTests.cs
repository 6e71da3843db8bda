using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Local;

/// <summary>The embedded store against the core conformance suite (it has no server, so no reconnect or unreachable suites).</summary>
public sealed class FileKvStoreConformanceTests : KvStoreConformanceTests
{
    private readonly FileStoreHarness _files = new();
    protected override Task<IKvStore> CreateStoreAsync() => _files.OpenNewAsync();
    public override async Task DisposeAsync() { await base.DisposeAsync(); _files.Dispose(); }
}
