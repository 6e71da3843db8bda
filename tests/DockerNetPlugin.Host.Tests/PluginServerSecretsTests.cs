namespace DockerNetPlugin.Host.Tests;

/// <summary>
/// Runs <c>dnp serve</c> in-process with a store URI that carries this test's own password (etcd on a closed
/// port, so the plugin stays in its retry loop and touches no kernel state), captures everything it logs, and
/// greps that for the password. Also checks the modes of what the run created.
/// </summary>
[Collection(ConsoleCapture.Name)]
public sealed class PluginServerSecretsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dnp-serve-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RunAsync_StoreUriWithPassword_NeverLogsIt_AndFilesArePrivate()
    {
        var secret = $"pw-{Guid.NewGuid():N}";
        var settings = new HostSettings
        {
            Socket = Path.Combine(_dir, "run", "dnp.sock"),
            StateDirectory = Path.Combine(_dir, "state"),
            NetnsDirectory = Path.Combine(_dir, "netns"),
            Store = $"etcd://root:{secret}@127.0.0.1:9",
            LogLevel = "debug",
        };
        var output = new StringWriter();
        var original = Console.Error;
        var originalOut = Console.Out;
        using var stop = new CancellationTokenSource();
        Task<int> run;
        Console.SetError(TextWriter.Synchronized(output));
        Console.SetOut(TextWriter.Synchronized(output));
        try
        {
            run = PluginServer.RunAsync(settings, stop.Token);
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (!output.ToString().Contains("not ready yet", StringComparison.Ordinal))
                await Task.Delay(20, limit.Token);

            Assert.Equal(PrivateSocket.SocketMode, File.GetUnixFileMode(settings.Socket));
            Assert.Equal(Store.PrivateFiles.DirectoryMode, File.GetUnixFileMode(settings.StateDirectory));
            Assert.Equal(Store.PrivateFiles.FileMode, File.GetUnixFileMode(Path.Combine(settings.StateDirectory, "host-id")));
            Assert.Equal(Store.PrivateFiles.DirectoryMode, File.GetUnixFileMode(Path.Combine(settings.StateDirectory, "local")));
            Assert.All(Directory.GetFiles(Path.Combine(settings.StateDirectory, "local")),
                f => Assert.Equal(Store.PrivateFiles.FileMode, File.GetUnixFileMode(f)));

            await stop.CancelAsync();
            Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(60)));
        }
        finally
        {
            Console.SetError(original);
            Console.SetOut(originalOut);
        }

        var log = output.ToString();
        Assert.Contains("etcd://root:***@127.0.0.1:9", log, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
        Assert.False(File.Exists(settings.Socket));
    }
}

/// <summary>Tests that swap Console.Out/Error must not run beside each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCapture
{
    public const string Name = "console capture";
}
