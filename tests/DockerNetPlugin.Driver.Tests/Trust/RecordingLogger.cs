using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Tests.Trust;

/// <summary>Keeps every formatted line (event id, message, exception) so tests can check what was logged, and how often.</summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly ConcurrentQueue<(int EventId, string Text)> _lines = new();

    public IReadOnlyList<(int EventId, string Text)> Lines => _lines.ToArray();

    public int Count(int eventId) => _lines.Count(l => l.EventId == eventId);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue((eventId.Id, $"{logLevel} {formatter(state, exception)} {exception}"));
}
