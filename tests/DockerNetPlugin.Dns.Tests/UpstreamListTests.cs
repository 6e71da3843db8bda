using Microsoft.Extensions.Logging.Abstractions;

namespace DockerNetPlugin.Dns.Tests;

public sealed class UpstreamListTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"dnp-dns-resolv-{Guid.NewGuid():N}.conf");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Current_FirstCall_ReadsTheFile()
    {
        File.WriteAllText(_path, "nameserver 127.0.0.11\nnameserver 192.0.2.1\nnameserver 192.0.2.2\n");

        var list = new UpstreamList(null, _path, 3, NullLogger.Instance);

        Assert.Equal(["192.0.2.1:53", "192.0.2.2:53"], list.Current().Select(s => s.ToString()));
    }

    [Fact]
    public void Current_FileChanged_ReadsItAgain()
    {
        File.WriteAllText(_path, "nameserver 192.0.2.1\n");
        var list = new UpstreamList(null, _path, 3, NullLogger.Instance, recheck: TimeSpan.Zero);
        list.Current();

        File.WriteAllText(_path, "nameserver 198.51.100.7\n");
        File.SetLastWriteTimeUtc(_path, DateTime.UtcNow.AddMinutes(1));

        Assert.Equal("198.51.100.7:53", Assert.Single(list.Current()).ToString());
    }

    [Fact]
    public void Current_MoreThanMax_KeepsTheFirst()
    {
        File.WriteAllText(_path, "nameserver 192.0.2.1\nnameserver 192.0.2.2\nnameserver 192.0.2.3\nnameserver 192.0.2.4\n");

        Assert.Equal(3, new UpstreamList(null, _path, 3, NullLogger.Instance).Current().Count);
    }

    [Fact]
    public void Current_MissingFile_IsEmpty()
    {
        Assert.Empty(new UpstreamList(null, _path + ".missing", 3, NullLogger.Instance).Current());
    }
}
