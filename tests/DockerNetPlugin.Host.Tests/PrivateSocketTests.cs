using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Host.Tests;

public sealed class PrivateSocketTests : IDisposable
{
    private const UnixFileMode Wider = ~PrivateSocket.SocketMode & (UnixFileMode)0x1FF;
    private readonly string _dir = Directory.CreateTempSubdirectory("dnp-socket-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Publish_WatchedThroughoutStartup_SocketIsNeverWiderThan0660_AndAnswers()
    {
        var path = Path.Combine(_dir, "plugins", "dnp.sock");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, "stale socket of a crashed run");
        var observed = new List<UnixFileMode>();
        using var stopWatching = new CancellationTokenSource();
        // Looks at the path as fast as it can for the whole startup; any mode it ever sees there is recorded.
        var watcher = Task.Factory.StartNew(() =>
        {
            while (!stopWatching.IsCancellationRequested)
            {
                try
                {
                    if (File.Exists(path) && new FileInfo(path).Length == 0)
                        observed.Add(File.GetUnixFileMode(path));
                }
                catch (IOException)
                {
                }
            }
        }, TaskCreationOptions.LongRunning);

        using (var socket = PrivateSocket.Prepare(path))
        {
            Assert.False(File.Exists(path)); // the stale file is gone
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socket.BindPath));
            await using var app = builder.Build();
            app.MapGet("/ping", () => Results.Text("pong"));
            await app.StartAsync();
            socket.Publish();
            await stopWatching.CancelAsync();
            await watcher;

            Assert.Equal(PrivateSocket.SocketMode, File.GetUnixFileMode(path));
            Assert.All(observed, mode => Assert.Equal((UnixFileMode)0, mode & Wider));
            Assert.Equal("pong", await GetAsync(path, "/ping"));
            Assert.Equal(["dnp.sock"], Directory.GetFileSystemEntries(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
            await app.StopAsync();
        }

        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void Prepare_StagingFolder_Is0700_AndDisposeWithoutPublishRemovesIt()
    {
        var path = Path.Combine(_dir, "dnp.sock");

        using (var socket = PrivateSocket.Prepare(path))
            Assert.Equal(Store.PrivateFiles.DirectoryMode, File.GetUnixFileMode(Path.GetDirectoryName(socket.BindPath)!));

        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    internal static async Task<string> GetAsync(string socketPath, string path)
    {
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await s.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                return new NetworkStream(s, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://dnp") };
        return await http.GetStringAsync(path);
    }
}
