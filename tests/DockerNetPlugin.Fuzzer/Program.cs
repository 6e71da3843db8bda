using System.Globalization;
using DockerNetPlugin.Fuzzer;

// Usage: DockerNetPlugin.Fuzzer --socket PATH [--count N] [--seed S] [--parallel P]
//        DockerNetPlugin.Fuzzer --check-store DIR [--check-store DIR ...]   (after the plugin stopped)
// Exit code: 0 clean, 1 findings or leftovers, 2 usage.
try
{
    var (options, stores) = ParseArguments(args);
    if (stores.Count > 0)
    {
        var leftovers = await StoreLeftovers.ListAsync(stores, CancellationToken.None);
        foreach (var line in leftovers)
            Console.WriteLine("store leftover: " + line);
        Console.WriteLine($"stores: {leftovers.Count} leftover record(s) in {string.Join(", ", stores)}");
        return leftovers.Count == 0 ? 0 : 1;
    }
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cancel.Cancel();
    };
    var report = await PluginFuzzer.RunAsync(options! with { Progress = Console.Out }, cancel.Token);
    Console.WriteLine(report.ToText());
    return report.Clean ? 0 : 1;
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"DockerNetPlugin.Fuzzer: {e.Message}\nusage: --socket PATH [--count N] [--seed S] [--parallel P] | --check-store DIR...");
    return 2;
}

static (FuzzOptions? Options, List<string> Stores) ParseArguments(string[] args)
{
    string? socket = null;
    int count = 2000, seed = 1, parallel = 1;
    var stores = new List<string>();
    for (var i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        int Number(int min) => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n : throw new ArgumentException($"{args[i - 1]} needs a whole number of at least {min}");
        switch (args[i])
        {
            case "--socket": socket = Value(); break;
            case "--count": count = Number(0); break;
            case "--seed": seed = Number(int.MinValue); break;
            case "--parallel": parallel = Number(1); break;
            case "--check-store": stores.Add(Value()); break;
            default: throw new ArgumentException($"unknown argument '{args[i]}'");
        }
    }
    if (stores.Count > 0)
        return (null, stores);
    return socket is null
        ? throw new ArgumentException("--socket is required")
        : (new FuzzOptions { Socket = socket, Count = count, Seed = seed, Parallel = parallel }, stores);
}
