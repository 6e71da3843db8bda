using System.Text.Json;

namespace DockerNetPlugin.Fuzzer;

/// <summary>How a reply was judged.</summary>
public enum Outcome
{
    /// <summary>A correct result for the method.</summary>
    Success,

    /// <summary>A clear error in the method's error field (<c>Err</c> or <c>Error</c>), not an internal one.</summary>
    Error,

    /// <summary>Anything else: no reply, 5xx, not JSON, a malformed result, an unhandled exception, an error in the wrong field.</summary>
    Finding,
}

/// <summary>The judgement of one reply; <see cref="Root"/> is the parsed reply of a success (for the generator to learn from).</summary>
public sealed record Verdict(Outcome Outcome, string? Problem, JsonElement? Root)
{
    public static Verdict Finding(string problem) => new(Outcome.Finding, problem, null);
}
