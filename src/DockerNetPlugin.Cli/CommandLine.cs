using DockerNetPlugin.Host;

namespace DockerNetPlugin.Cli;

/// <summary>The one executable, <c>dnp</c>: <c>serve</c> runs the plugin; the other verbs inspect a running one.</summary>
internal static class CommandLine
{
    private const string Usage = """
        usage: dnp <command>
          serve            run the plugin (Docker network + IPAM driver) on DNP_SOCKET
          status [--json]  this host: store, advertise address, networks, endpoints, peers
        settings come from DNP_* environment variables (see README)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var command = args.Length > 0 ? args[0] : "help";
        try
        {
            switch (command)
            {
                case "serve":
                    using (var stop = new CancellationTokenSource())
                    {
                        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
                        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
                        return await PluginServer.RunAsync(HostSettings.FromEnvironment(Environment.GetEnvironmentVariables()), stop.Token).ConfigureAwait(false);
                    }
                case "status":
                    return await StatusCommand.RunAsync(args.Contains("--json"), HostSettings.FromEnvironment(Environment.GetEnvironmentVariables()).Socket).ConfigureAwait(false);
                case "help" or "--help" or "-h":
                    Console.WriteLine(Usage);
                    return 0;
                default:
                    await Console.Error.WriteLineAsync($"dnp: unknown command '{command}'\n{Usage}").ConfigureAwait(false);
                    return 2;
            }
        }
        catch (SettingsException e)
        {
            await Console.Error.WriteLineAsync($"dnp: {e.Message}").ConfigureAwait(false);
            return 2;
        }
    }
}
