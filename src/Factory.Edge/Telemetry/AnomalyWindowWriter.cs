using System.Threading.Channels;

namespace Factory.Edge.Telemetry;

/// <summary>
/// Hands anomaly windows to the outbox on one background thread of the process. A window is
/// thousands of samples: serializing it takes milliseconds, and when many machines of a line
/// raise their anomaly alarms together, their windows complete together. On the actors' thread
/// pool that burst would hold up the samples whose limits must alarm at once; on a thread of its
/// own it takes at most one core, and the windows wait their turn.
/// </summary>
internal static class AnomalyWindowWriter
{
    private static readonly Channel<Action> Pending = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });

    static AnomalyWindowWriter() =>
        new Thread(Write) { IsBackground = true, Name = "anomaly-window-writer", Priority = ThreadPriority.BelowNormal }.Start();

    /// <summary>Runs <paramref name="append"/> on the writer's thread; it must catch and report its own failures.</summary>
    public static void Post(Action append) => Pending.Writer.TryWrite(append);

    private static void Write()
    {
        while (Pending.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (Pending.Reader.TryRead(out var append))
            {
                append();
            }
        }
    }
}
