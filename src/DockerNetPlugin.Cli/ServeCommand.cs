using System.Collections;
using System.Runtime.InteropServices;
using DockerNetPlugin.Host;

namespace DockerNetPlugin.Cli;

/// <summary>
/// <c>dnp serve</c>: runs the plugin in this process. The one file of the CLI that uses Host: one <c>dnp</c> executable
/// serves and inspects (the managed plugin and the packages ship one binary), so the CLI project references Host for
/// this verb alone; every other verb speaks the operator API through the Contract types. The dependency-rule test
/// (tests/DockerNetPlugin.Host.Tests/DependencyRulesTests.cs) allows exactly this file to name Host.
/// </summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(IDictionary environment)
    {
        try
        {
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
            return await PluginServer.RunAsync(HostSettings.FromEnvironment(environment), stop.Token).ConfigureAwait(false);
        }
        catch (SettingsException e)
        {
            await Console.Error.WriteLineAsync($"dnp: {e.Message}").ConfigureAwait(false);
            return 2;
        }
    }
}
