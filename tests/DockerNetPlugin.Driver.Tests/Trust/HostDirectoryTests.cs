using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Trust;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Tests.Trust;

public sealed class HostDirectoryTests
{
    private readonly InvalidRecordLog _log = new(new RecordingLogger());
    private readonly HostDirectory _hosts;

    public HostDirectoryTests() => _hosts = new HostDirectory(_log);

    [Fact]
    public void InvalidRewriteWithdrawsTheLocator_DeleteToo()
    {
        Assert.True(_hosts.Apply(PeerAdmissionTests.HostOf("h1", "192.168.7.1")));
        Assert.False(_hosts.Apply(PeerAdmissionTests.HostOf("h1", "192.168.7.1")));

        Assert.True(_hosts.Apply(PeerAdmissionTests.EntryOf(ClusterKeys.Host("h1"), """{"hostId":"h1","locator":"0.0.0.0"}""")));
        Assert.Empty(_hosts.Snapshot());
        Assert.Equal(1, _log.Count);

        _hosts.Apply(PeerAdmissionTests.HostOf("h1", "192.168.7.1"));
        Assert.True(_hosts.Remove(ClusterKeys.Host("h1")));
        Assert.Empty(_hosts.Snapshot());
        Assert.Equal(0, _log.Count);
    }
}
