using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Factory.Ml.Detectors;

/// <summary>
/// Minimum Covariance Determinant by fast-MCD (Rousseeuw and Van Driessen, 1999): from random
/// (p + 1)-subsets, C-steps (fit mean and covariance to a subset, keep the h vectors nearest in
/// Mahalanobis distance, repeat) lower the covariance determinant; the best few are iterated to
/// convergence on all vectors. The raw estimate is then made consistent at the normal
/// distribution and reweighted (vectors beyond the 0.975 chi-square quantile are left out).
/// </summary>
internal static class FastMcd
{
    private const int Refined = 5;
    private const int MaximumSteps = 100;

    internal sealed record Estimate(double[] Location, double[] Precision, double LogDeterminant, int Iterations);

    public static Estimate Fit(double[][] rows, int h, double ridge, int starts, int subsampleSize, Random random)
    {
        var n = rows.Length;
        var p = rows[0].Length;
        var all = Enumerable.Range(0, n).ToArray();
        var pool = n > subsampleSize ? Sample(all, subsampleSize, random) : all;
        var poolH = pool.Length == n ? h : Math.Clamp((int)Math.Ceiling((double)h * pool.Length / n), p + 1, pool.Length);
        var distances = new double[n];

        var candidates = new List<(double LogDeterminant, int[] Subset)>(starts);
        for (var start = 0; start < starts; start++)
        {
            var estimate = Fit(rows, Sample(pool, Math.Min(p + 1, pool.Length), random), ridge);
            var subset = Array.Empty<int>();
            for (var step = 0; step < 2; step++)
            {
                subset = Nearest(rows, pool, estimate, poolH, distances);
                estimate = Fit(rows, subset, ridge);
            }

            candidates.Add((estimate.LogDeterminant, subset));
        }

        // The best few are iterated to convergence on the subsample, the best two of those on every vector.
        var iterations = 0;
        var refined = candidates
            .OrderBy(c => c.LogDeterminant)
            .Take(Refined)
            .Select(c => Converge(rows, pool, poolH, Fit(rows, c.Subset, ridge), ridge, distances, ref iterations))
            .OrderBy(e => e.LogDeterminant)
            .ToList();
        var best = pool.Length == n
            ? refined[0]
            : refined.Take(2).Select(e => Converge(rows, all, h, e, ridge, distances, ref iterations)).MinBy(e => e.LogDeterminant)!;

        var chiSquareMedian = ChiSquared.InvCDF(p, 0.5);
        var consistent = Scaled(best, MedianDistance(rows, best, distances) / chiSquareMedian);

        // Reweighting: the estimate of every vector within the 0.975 quantile is more efficient than the raw h-subset's.
        Distances(rows, all, consistent, distances);
        var cutoff = ChiSquared.InvCDF(p, 0.975);
        var inliers = all.Where(i => distances[i] <= cutoff).ToArray();
        if (inliers.Length <= p)
        {
            return consistent with { Iterations = iterations };
        }

        var reweighted = Fit(rows, inliers, ridge);
        return Scaled(reweighted, MedianDistance(rows, reweighted, distances) / chiSquareMedian) with { Iterations = iterations };
    }

    /// <summary>C-steps until the determinant stops falling.</summary>
    private static Estimate Converge(double[][] rows, int[] candidates, int h, Estimate estimate, double ridge, double[] distances, ref int iterations)
    {
        for (var step = 0; step < MaximumSteps; step++)
        {
            iterations++;
            var next = Fit(rows, Nearest(rows, candidates, estimate, h, distances), ridge);
            if (next.LogDeterminant >= estimate.LogDeterminant - 1e-10)
            {
                break;
            }

            estimate = next;
        }

        return estimate;
    }

    /// <summary>Mean and covariance (divided by the count) of a subset, with the ridge on the diagonal.</summary>
    private static Estimate Fit(double[][] rows, int[] subset, double ridge)
    {
        var p = rows[0].Length;
        var mean = new double[p];
        foreach (var i in subset)
        {
            var row = rows[i];
            for (var j = 0; j < p; j++)
            {
                mean[j] += row[j];
            }
        }

        for (var j = 0; j < p; j++)
        {
            mean[j] /= subset.Length;
        }

        // Upper triangle of Σ (c - mean)(c - mean)ᵀ, one row at a time (SIMD), then mirrored.
        var upper = new double[p * p];
        var centred = new double[p];
        foreach (var i in subset)
        {
            var row = rows[i];
            for (var j = 0; j < p; j++)
            {
                centred[j] = row[j] - mean[j];
            }

            for (var a = 0; a < p; a++)
            {
                VectorMath.AddScaled(upper.AsSpan((a * p) + a, p - a), centred[a], centred.AsSpan(a));
            }
        }

        var covariance = new double[p, p];
        for (var a = 0; a < p; a++)
        {
            for (var b = a; b < p; b++)
            {
                covariance[a, b] = covariance[b, a] = upper[(a * p) + b] / subset.Length;
            }

            covariance[a, a] += ridge;
        }

        var cholesky = Matrix<double>.Build.DenseOfArray(covariance).Cholesky();
        var precision = cholesky.Solve(Matrix<double>.Build.DenseIdentity(p)).ToRowMajorArray();
        return new Estimate(mean, precision, cholesky.DeterminantLn, 0);
    }

    /// <summary>The estimate with its covariance multiplied by a factor.</summary>
    private static Estimate Scaled(Estimate estimate, double factor) =>
        factor > 0 && double.IsFinite(factor)
            ? estimate with
            {
                Precision = estimate.Precision.Select(x => x / factor).ToArray(),
                LogDeterminant = estimate.LogDeterminant + (estimate.Location.Length * Math.Log(factor)),
            }
            : estimate;

    private static double MedianDistance(double[][] rows, Estimate estimate, double[] distances)
    {
        var all = Enumerable.Range(0, rows.Length).ToArray();
        Distances(rows, all, estimate, distances);
        var sorted = distances.ToArray();
        Array.Sort(sorted);
        return RobustMahalanobisKind.Median(sorted);
    }

    /// <summary>The h vectors of the candidates nearest to the estimate in Mahalanobis distance.</summary>
    private static int[] Nearest(double[][] rows, int[] candidates, Estimate estimate, int h, double[] distances)
    {
        Distances(rows, candidates, estimate, distances);
        var keys = candidates.Select(i => distances[i]).ToArray();
        var order = candidates.ToArray();
        Array.Sort(keys, order);
        var nearest = order[..h];
        Array.Sort(nearest);
        return nearest;
    }

    private static void Distances(double[][] rows, int[] indices, Estimate estimate, double[] distances)
    {
        var p = estimate.Location.Length;
        var centred = new double[p];
        var precision = estimate.Precision;
        foreach (var i in indices)
        {
            var row = rows[i];
            for (var j = 0; j < p; j++)
            {
                centred[j] = row[j] - estimate.Location[j];
            }

            var sum = VectorMath.QuadraticForm(precision, centred);
            distances[i] = sum;
        }
    }

    /// <summary>A random subset of the given size (partial Fisher-Yates), sorted.</summary>
    private static int[] Sample(int[] from, int size, Random random)
    {
        var copy = from.ToArray();
        for (var i = 0; i < size; i++)
        {
            var j = random.Next(i, copy.Length);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }

        var subset = copy[..size];
        Array.Sort(subset);
        return subset;
    }
}
