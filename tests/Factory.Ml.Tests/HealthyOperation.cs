namespace Factory.Ml.Tests;

/// <summary>
/// Synthetic feature vectors of a spindle in the order of <see cref="TestMachines.SixFeatureSpindle"/>:
/// bearing temperature mean and slope, motor current mean and max, vibration RMS and kurtosis. One
/// hidden variable, the cutting load, drives them all (more load: more current, heat and
/// vibration), so healthy vectors vary mostly along one direction, as real machines do.
/// </summary>
internal static class HealthyOperation
{
    private static readonly double[] Level = [50, 0.02, 40, 55, 2.5, 3.0];
    private static readonly double[] Loading = [4, 0.01, 8, 10, 0.5, 0.2];
    private static readonly double[] Noise = [0.3, 0.002, 0.5, 0.6, 0.05, 0.05];

    public static int FeatureCount => Level.Length;

    public static List<float[]> Vectors(int count, int seed) => Vectors(count, seed, random => Gaussian(random), null);

    /// <summary>A fault along the normal direction: the load far beyond anything seen in healthy operation (an overload).</summary>
    public static List<float[]> AlongTheNormalDirection(int count, int seed) => Vectors(count, seed, random => 7 + (0.3 * Gaussian(random)), null);

    /// <summary>A fault across it: vibration and its kurtosis up at a normal load (bearing damage), which no load does.</summary>
    public static List<float[]> AcrossTheNormalDirection(int count, int seed) =>
        Vectors(count, seed, random => Gaussian(random), v =>
        {
            v[4] += 1.0f;
            v[5] += 0.6f;
        });

    private static List<float[]> Vectors(int count, int seed, Func<Random, double> load, Action<float[]>? fault)
    {
        var random = new Random(seed);
        var vectors = new List<float[]>(count);
        for (var i = 0; i < count; i++)
        {
            var l = load(random);
            var vector = new float[Level.Length];
            for (var j = 0; j < vector.Length; j++)
            {
                vector[j] = (float)(Level[j] + (Loading[j] * l) + (Noise[j] * Gaussian(random)));
            }

            fault?.Invoke(vector);
            vectors.Add(vector);
        }

        return vectors;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
