namespace Factory.Cloud.Access;

/// <summary>The password of the first user, made at the first start: shown once by the command that started the node.</summary>
public sealed class FirstRun
{
    private string? _password;

    internal FirstRun(string? password) => _password = password;

    /// <summary>The generated password of <see cref="UserAccounts.FirstAdmin"/> the first time it is asked for after the first start; null after that and on later starts.</summary>
    public string? TakePassword() => Interlocked.Exchange(ref _password, null);
}
