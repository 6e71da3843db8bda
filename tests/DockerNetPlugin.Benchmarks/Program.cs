using System.Globalization;
using DockerNetPlugin.Benchmarks;

// Usage: dotnet run --project tests/DockerNetPlugin.Benchmarks -c Release -- [--output PATH] [names...]
// Runs all benchmarks (or the named ones) and rewrites only their sections of BENCHMARKS.md.
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

output ??= Path.Combine(FindRepositoryRoot(), "BENCHMARKS.md");
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
    var section = await benchmark.RunAsync(cancel.Token);
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

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "DockerNetPlugin.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("run from inside the repository (no DockerNetPlugin.sln above the current directory), or pass --output PATH");
}
