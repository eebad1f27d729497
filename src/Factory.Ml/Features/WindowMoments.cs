namespace Factory.Ml.Features;

/// <summary>
/// The statistics of a window's samples: count, mean, central moments M2 and M4 (sums of the
/// 2nd and 4th powers of the deviations from the mean), min, max, and the time moments of the
/// least-squares slope.
/// </summary>
internal struct WindowMoments
{
    public double Count;
    public double Mean;
    public double M2;
    public double M4;
    public double Min;
    public double Max;

    /// <summary>Mean sample time, in seconds from the start of the window.</summary>
    public double TimeMean;

    /// <summary>Sum of squared deviations of sample time from <see cref="TimeMean"/>.</summary>
    public double TimeM2;

    /// <summary>Sum of products of time and value deviations from their means.</summary>
    public double TimeValueC;
}
