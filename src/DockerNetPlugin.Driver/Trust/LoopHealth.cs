using System.Text.Json.Serialization;

namespace DockerNetPlugin.Driver.Trust;

/// <summary>Where a supervised loop is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LoopState>))]
public enum LoopState
{
    /// <summary>Its body is running.</summary>
    Running,

    /// <summary>Its body failed (or ended); it is waiting out the backoff before the next start.</summary>
    Restarting,

    /// <summary>Stopped on purpose (shutdown), or not started yet.</summary>
    Stopped,
}

/// <summary>
/// A loop's health for <c>dnp status</c> and <c>/dnp/v1/status</c>.
/// </summary>
/// <param name="Name">The loop's name (peer-watch, reconciler, replication, lease-keeper, miss-responder…).</param>
/// <param name="Restarts">How many times the body was restarted since the plugin started.</param>
/// <param name="LastError">The last failure ("ExceptionType: message"), kept after a restart; null if it never failed.</param>
/// <param name="LastErrorAt">When that failure happened.</param>
/// <param name="RetryAt">While <see cref="LoopState.Restarting"/>: when the next start is due.</param>
public sealed record LoopHealth(string Name, LoopState State, int Restarts, string? LastError, DateTimeOffset? LastErrorAt, DateTimeOffset? RetryAt);
