namespace Factory.Simulator;

/// <summary>
/// A plant configuration, scenario or fault the simulator cannot simulate, with every problem
/// found (each naming the machine, sensor, file or line concerned).
/// </summary>
public sealed class SimulatorConfigurationException : Exception
{
    public SimulatorConfigurationException(IReadOnlyList<string> errors)
        : base(string.Join(Environment.NewLine, errors)) => Errors = errors;

    public SimulatorConfigurationException()
        : this([]) { }

    public SimulatorConfigurationException(string message)
        : this([message]) { }

    public SimulatorConfigurationException(string message, Exception innerException)
        : base(message, innerException) => Errors = [message];

    public IReadOnlyList<string> Errors { get; }
}
