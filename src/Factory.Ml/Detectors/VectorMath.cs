using System.Numerics;

namespace Factory.Ml.Detectors;

/// <summary>The two loops the Mahalanobis detector spends its time in, with SIMD.</summary>
internal static class VectorMath
{
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var sum = 0.0;
        var i = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<double>.Count)
        {
            var acc = Vector<double>.Zero;
            for (; i <= a.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                acc += new Vector<double>(a[i..]) * new Vector<double>(b[i..]);
            }

            sum = Vector.Sum(acc);
        }

        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>target += factor · source.</summary>
    public static void AddScaled(Span<double> target, double factor, ReadOnlySpan<double> source)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<double>.Count)
        {
            var f = new Vector<double>(factor);
            for (; i <= target.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                (new Vector<double>(target[i..]) + (f * new Vector<double>(source[i..]))).CopyTo(target[i..]);
            }
        }

        for (; i < target.Length; i++)
        {
            target[i] += factor * source[i];
        }
    }

    /// <summary>xᵀ P x for a symmetric P (row-major, p × p), over its upper triangle.</summary>
    public static double QuadraticForm(ReadOnlySpan<double> precision, ReadOnlySpan<double> x)
    {
        var p = x.Length;
        var sum = 0.0;
        for (var i = 0; i < p; i++)
        {
            var row = precision.Slice(i * p, p);
            sum += x[i] * ((row[i] * x[i]) + (2 * Dot(row[(i + 1)..], x[(i + 1)..])));
        }

        return sum;
    }
}
