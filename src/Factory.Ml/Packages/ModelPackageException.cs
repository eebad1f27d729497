namespace Factory.Ml.Packages;

/// <summary>
/// A model package was refused: it cannot be read, is not intact, or does not fit the machine.
/// The message names the file and says exactly what is wrong.
/// </summary>
public sealed class ModelPackageException : Exception
{
    public ModelPackageException()
    {
    }

    public ModelPackageException(string message)
        : base(message)
    {
    }

    public ModelPackageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <param name="packagePath">The package file.</param>
    /// <param name="problem">What is wrong with it.</param>
    public ModelPackageException(string packagePath, string problem, Exception? innerException)
        : base($"Model package {packagePath}: {problem}", innerException)
    {
        PackagePath = packagePath;
    }

    /// <summary>The package file, when the problem is with one.</summary>
    public string? PackagePath { get; }
}
