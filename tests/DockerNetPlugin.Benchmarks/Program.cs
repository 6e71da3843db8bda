using System.Globalization;
using DockerNetPlugin.Benchmarks;
using DockerNetPlugin.Benchmarks.Scale;

// Usage: dotnet run --project tests/DockerNetPlugin.Benchmarks -c Release -- [--output PATH] [names...]
// Runs all benchmarks (or the named ones) and rewrites only their sections of BENCHMARKS.md.
// The scale benchmark re-runs this program inside etcd's network namespace to write endpoint records.
if (args.Length > 0 && args[0] == EndpointInjector.Command)
{
    return await EndpointInjector.RunAsync(args[1..]);
}

var names = new List<string>();
string? output = null;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--output" && i + 1 < args.Length)
    {
        output = args[++i];
    }
    else
    {
        names.Add(args[i]);
    }
}

output ??= Path.Combine(RepositoryRoot.Find(), "BENCHMARKS.md");
var selected = BenchmarkRegistry.Select(names);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var results = new List<(IBenchmark, BenchmarkSection)>();
foreach (var benchmark in selected)
{
    Console.WriteLine($"running {benchmark.Name}: {benchmark.Title}");
    var clock = System.Diagnostics.Stopwatch.StartNew();
    var section = await benchmark.RunAsync(cancel.Token);
    Console.WriteLine($"{benchmark.Name} took {clock.Elapsed:m\\:ss}");
    Console.WriteLine(section.Markdown);
    results.Add((benchmark, section));
}

var command = "dotnet run --project tests/DockerNetPlugin.Benchmarks -c Release --" + (args.Length > 0 ? " " + string.Join(' ', args) : string.Empty);
var machine = MachineInfo.Describe();
var now = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
var header = $"Last run: {now} UTC on {machine}.\n\nCommand: `{command}` (as root; benchmarks create throwaway network namespaces).";
var stamp = $"_Measured {now} UTC on {machine} with `{command}`._";
var existing = File.Exists(output) ? await File.ReadAllTextAsync(output, cancel.Token) : string.Empty;
await File.WriteAllTextAsync(output, BenchmarksFile.Update(existing, header, stamp, results), cancel.Token);
Console.WriteLine($"updated {output}");
return 0;
