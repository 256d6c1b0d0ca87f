/* placeholder: being written */
#include "config.h"
#include "singly-encoding.h"
