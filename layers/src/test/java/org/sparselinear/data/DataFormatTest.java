package org.sparselinear.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFormatTest {

    @TempDir
    Path temp;

    @Test
    void theNameTellsTheFormat() {
        assertEquals(DataFormat.SVMLIGHT, DataFormat.of(Path.of("train.svm")));
        assertEquals(DataFormat.SVMLIGHT, DataFormat.of(Path.of("data", "train.svm.gz")));
        assertEquals(DataFormat.SVMLIGHT, DataFormat.of(Path.of("a9a.LIBSVM")));
        assertEquals(DataFormat.CSV, DataFormat.of(Path.of("iris.csv")));
        assertEquals(DataFormat.CSV, DataFormat.of(Path.of("iris.csv.gz")));
        assertEquals(DataFormat.IDX, DataFormat.of(temp));
    }

    @Test
    void anAmbiguousNameAsksForTheFormat() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> DataFormat.of(Path.of("train.txt")));
        assertTrue(e.getMessage().contains("train.txt") && e.getMessage().contains("name the format"), e.getMessage());
        assertEquals(DataFormat.SVMLIGHT, DataFormat.named("LibSVM"));
        assertEquals(DataFormat.CSV, DataFormat.named("csv"));
        assertEquals("idx", DataFormat.named(" IDX ").id());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> DataFormat.named("arff"));
        assertTrue(unknown.getMessage().contains("svmlight"), unknown.getMessage());
    }
}
