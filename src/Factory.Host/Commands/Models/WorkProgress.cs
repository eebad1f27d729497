using Spectre.Console;

namespace Factory.Host.Commands.Models;

/// <summary>
/// A progress bar for long model work, drawn on standard error when it is a terminal, so that standard
/// output stays what scripts read (tables, and a JSON last line). Elsewhere the work runs silently.
/// </summary>
internal static class WorkProgress
{
    public static T Run<T>(string description, Func<IProgress<double>, T> work)
    {
        if (Console.IsErrorRedirected)
        {
            return work(new Progress<double>(_ => { }));
        }

        var terminal = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return terminal.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(description, maxValue: 1);
                return work(new SynchronousProgress(share => task.Value = share));
            });
    }

    /// <summary>Reports on the caller's thread (<see cref="Progress{T}"/> would post to the thread pool, late and out of order).</summary>
    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
