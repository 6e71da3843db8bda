namespace DockerNetPlugin.Testbed;

/// <summary>One long-running process in a fabric node's network namespace (root mount namespace), e.g. etcd or httpd.</summary>
internal sealed class NamespaceService(string name, string netns, string logPath) : IAsyncDisposable
{
    private ManagedProcess? _process;

    public string LogPath { get; } = logPath;

    public bool IsRunning => _process is { HasExited: false };

    public void Start(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{name} is already running");
        }

        _process?.Dispose();
        _process = new ManagedProcess(name, CommandRunner.StartLogged(IpCommands.InNetns(netns), argv, LogPath, environment), LogPath);
    }

    public Task StopAsync(bool kill9) => _process?.StopAsync(kill9, TimeSpan.FromSeconds(10)) ?? Task.CompletedTask;

    public Task<CommandResult> ExecAsync(IReadOnlyList<string> argv, CancellationToken cancellationToken, TimeSpan? timeout = null, string? stdin = null) =>
        CommandRunner.RunAsync([.. IpCommands.InNetns(netns), .. argv], cancellationToken, timeout, stdin);

    public async ValueTask DisposeAsync()
    {
        await StopAsync(false).ConfigureAwait(false);
        _process?.Dispose();
        _process = null;
    }
}
