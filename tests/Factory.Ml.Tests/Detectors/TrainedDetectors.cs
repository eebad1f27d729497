using Factory.Ml.Detectors;

namespace Factory.Ml.Tests.Detectors;

/// <summary>Both detectors trained once on synthetic healthy operation, with thresholds for a 0.1 % false-alarm rate.</summary>
public sealed class TrainedDetectors
{
    public const int Seed = 42;
    public const double FalseAlarmRate = 0.001;

    public TrainedDetectors()
    {
        Training = HealthyOperation.Vectors(3_000, seed: 1);
        HeldOut = HealthyOperation.Vectors(5_000, seed: 2);
        Pca = DetectorKinds.RandomizedPca.Train(Training, Seed);
        Mahalanobis = DetectorKinds.RobustMahalanobis.Train(Training, Seed);
        PcaThreshold = AlarmThreshold.ForFalseAlarmRate(Pca.ScoreAll(HeldOut), FalseAlarmRate);
        MahalanobisThreshold = AlarmThreshold.ForFalseAlarmRate(Mahalanobis.ScoreAll(HeldOut), FalseAlarmRate);
        KMeans = DetectorKinds.KMeansDistance.Train(Training, Seed);
        KMeansThreshold = AlarmThreshold.ForFalseAlarmRate(KMeans.ScoreAll(HeldOut), FalseAlarmRate);
    }

    public List<float[]> Training { get; }
    public List<float[]> HeldOut { get; }
    public DetectorModel Pca { get; }
    public DetectorModel Mahalanobis { get; }
    public float PcaThreshold { get; }
    public float MahalanobisThreshold { get; }
    public DetectorModel KMeans { get; }
    public float KMeansThreshold { get; }

    public (DetectorModel Model, float Threshold) Of(string kind) =>
        kind switch
        {
            RandomizedPcaKind.KindName => (Pca, PcaThreshold),
            KMeansDistanceKind.KindName => (KMeans, KMeansThreshold),
            _ => (Mahalanobis, MahalanobisThreshold),
        };
}

[CollectionDefinition(Name)]
public sealed class TrainedDetectorsCollection : ICollectionFixture<TrainedDetectors>
{
    public const string Name = "trained detectors";
}
