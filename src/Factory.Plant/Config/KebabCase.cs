using System.Text;

namespace Factory.Plant.Config;

/// <summary>
/// The file's words for the model's enums: <c>CncSpindle</c> is written <c>cnc-spindle</c>,
/// <c>StandardDeviation</c> <c>standard-deviation</c>. One rule, so the schema's enums and the
/// model's cannot drift apart unnoticed (a test compares them).
/// </summary>
internal static class KebabCase
{
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => Of(value.ToString());

    public static string Of(string pascalCase)
    {
        var text = new StringBuilder(pascalCase.Length + 4);
        foreach (var c in pascalCase)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('-');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }

    public static TEnum Parse<TEnum>(string text)
        where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().First(v => Of(v) == text);

    public static IReadOnlyList<string> Names<TEnum>()
        where TEnum : struct, Enum => [.. Enum.GetValues<TEnum>().Select(v => Of(v))];
}
