namespace DockerNetPlugin.Benchmarks;

/// <summary>The Markdown body a benchmark produced (without heading or markers; the runner adds those).</summary>
internal sealed record BenchmarkSection(string Markdown);
