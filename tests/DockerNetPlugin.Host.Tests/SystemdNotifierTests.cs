using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerNetPlugin.Host.Tests;

/// <summary>The sd_notify datagrams of <c>Type=notify</c>: to a socket path, to an abstract socket, and nothing without NOTIFY_SOCKET.</summary>
public sealed class SystemdNotifierTests
{
    [Fact]
    public void Send_PathSocket_SystemdReceivesTheState()
    {
        var dir = Directory.CreateTempSubdirectory("dnpt-notify-").FullName;
        try
        {
            var path = Path.Combine(dir, "notify");
            using var systemd = Listen(path);
            using (var notifier = new SystemdNotifier(path, NullLogger.Instance))
                notifier.Send("READY=1\nSTATUS=ready");

            Assert.Equal("READY=1\nSTATUS=ready", Receive(systemd));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Stopping_AbstractSocket_SystemdReceivesStopping()
    {
        var name = "dnpt-notify-" + Guid.NewGuid().ToString("N");
        using var systemd = Listen("\0" + name);
        using (var notifier = new SystemdNotifier("@" + name, NullLogger.Instance))
            notifier.Stopping();

        Assert.StartsWith("STOPPING=1\n", Receive(systemd), StringComparison.Ordinal);
    }

    [Fact]
    public void Send_NoNotifySocketOrNobodyListening_NothingThrown()
    {
        using (var none = new SystemdNotifier(null, NullLogger.Instance))
            none.Send("READY=1");
        using var gone = new SystemdNotifier(Path.Combine(Path.GetTempPath(), "dnpt-notify-" + Guid.NewGuid().ToString("N")), NullLogger.Instance);
        gone.Send("READY=1"); // logged as a warning: a plugin works without systemd's bookkeeping
    }

    private static Socket Listen(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.ReceiveTimeout = 10_000;
        return socket;
    }

    private static string Receive(Socket socket)
    {
        var buffer = new byte[512];
        var n = socket.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }
}
