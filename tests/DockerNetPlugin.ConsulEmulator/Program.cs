using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;

namespace DockerNetPlugin.Emulators.Consul;

/// <summary>
/// Serves the emulator as a process: <c>DockerNetPlugin.ConsulEmulator --listen ADDRESS:PORT [--min-session-ttl SECONDS]</c>.
/// The test bed runs it in a fabric namespace so simulated hosts use <c>consul://ADDRESS:PORT</c> (no Consul server
/// package exists for our machines). Prints one "listening on" line, then serves until SIGTERM or SIGINT.
/// Session TTLs follow Consul's 10 s minimum unless <c>--min-session-ttl</c> lowers it.
/// </summary>
internal static class Program
{
    private const string Usage = "usage: DockerNetPlugin.ConsulEmulator --listen ADDRESS:PORT [--min-session-ttl SECONDS]";

    public static async Task<int> Main(string[] args)
    {
        IPEndPoint? listen = null;
        TimeSpan? minSessionTtl = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--listen" when value is not null && IPEndPoint.TryParse(value, out var endpoint) && endpoint.Port != 0:
                    listen = endpoint;
                    i++;
                    break;
                case "--min-session-ttl" when value is not null && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0:
                    minSessionTtl = TimeSpan.FromSeconds(seconds);
                    i++;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"bad argument '{args[i]}'{(value is null ? "" : $" '{value}'")}\n{Usage}");
                    return 2;
            }
        }

        if (listen is null)
        {
            await Console.Error.WriteLineAsync("--listen ADDRESS:PORT is required\n" + Usage);
            return 2;
        }

        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        await using var emulator = await ConsulEmulator.StartAsync(null, listen);
        if (minSessionTtl is { } ttl)
            emulator.MinSessionTtl = ttl;
        Console.WriteLine($"consul emulator listening on {emulator.Address} (min session TTL {emulator.MinSessionTtl.TotalSeconds:0.###} s)");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("consul emulator stopping");
        }

        return 0;
    }
}
